package io.gifchat.web.browser;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/** Talking and sharing GIFs, in two real Chromium windows. */
@SpringBootTest(webEnvironment = RANDOM_PORT, properties = "gifchat.rooms.empty-grace=0s")
class ChatBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    static Page person(String label) {
        Page page = browsers.newContext(label).newPage();
        page.navigate("/");
        assertThat(page.locator("#live")).hasText("live");
        return page;
    }

    /** Alice creates a room and Bob joins it; both are online in it. */
    static List<Page> twoInARoom(String title) {
        Page alice = person("alice");
        alice.locator("#room-form input[name=title]").fill(title);
        alice.locator("#room-form button[type=submit]").click();
        alice.waitForURL("**/room/*");
        assertThat(alice.locator("#status")).hasText("online");
        Page bob = person("bob");
        bob.navigate(alice.url());
        assertThat(bob.locator("#status")).hasText("online");
        assertThat(alice.locator("#participants li")).hasCount(2);
        return List.of(alice, bob);
    }

    static void send(Page page, String text) {
        page.locator("#message").fill(text);
        page.locator("#send").click();
    }

    static Locator chat(Page page, String text) {
        return page.locator("#messages li.chat:not(.pending) .text", new Page.LocatorOptions().setHasText(text));
    }

    @Test
    void twoUsersChatBothWays() {
        List<Page> pages = twoInARoom("Chatter");
        Page alice = pages.get(0);
        Page bob = pages.get(1);

        send(alice, "Hi Bob!");
        assertThat(chat(bob, "Hi Bob!")).isVisible();
        send(bob, "Hello Alice");
        assertThat(chat(alice, "Hello Alice")).isVisible();
        assertThat(chat(alice, "Hi Bob!")).hasCount(1);
        assertThat(chat(bob, "Hello Alice")).hasCount(1);
        assertThat(alice.locator("#messages li.pending")).hasCount(0);
        browsers.assertNoErrors();
    }

    @Test
    void aGifUploadedByOneShowsWithProgressForBoth() {
        List<Page> pages = twoInARoom("GIF party");
        Page alice = pages.get(0);
        Page bob = pages.get(1);
        byte[] gif = TestGifs.animated(400, 12);

        alice.locator("#gif-input").setInputFiles(new FilePayload("party.gif", "image/gif", gif));
        alice.locator("#gif-send").click();

        assertThat(alice.locator("#upload-progress")).hasAttribute("value", "100");
        assertThat(alice.locator("#upload-status")).hasText("sent");
        for (Page page : pages) {
            Locator img = page.locator("#messages li.gif img.gif");
            assertThat(img).hasCount(1);
            assertThat(img).hasAttribute("src", java.util.regex.Pattern.compile("^/gif/[A-Za-z0-9_-]{22}$"));
            page.waitForCondition(() -> (Boolean) img.evaluate("i => i.complete && i.naturalWidth === 400"));
        }
        browsers.assertNoErrors();
    }

    @Test
    void markupInMessagesAndTitlesStaysText() {
        String xss = "<img src=x onerror=alert(1)>";
        Page alice = person("alice");
        AtomicBoolean dialog = new AtomicBoolean();
        alice.onDialog(d -> {
            dialog.set(true);
            d.dismiss();
        });
        alice.locator("#room-form input[name=title]").fill(xss);
        alice.locator("#room-form button[type=submit]").click();
        alice.waitForURL("**/room/*");
        Page bob = person("bob");
        bob.onDialog(d -> {
            dialog.set(true);
            d.dismiss();
        });
        assertThat(bob.locator("#rooms .title", new Page.LocatorOptions().setHasText(xss))).isVisible();
        bob.navigate(alice.url());
        assertThat(bob.locator("#status")).hasText("online");

        send(alice, xss);

        assertThat(chat(bob, xss)).hasText(xss);
        assertThat(alice.locator(".chat-head h1")).containsText(xss);
        assertThat(bob.locator("#messages img")).hasCount(0);
        bob.navigate(bob.url());
        assertThat(chat(bob, xss)).hasText(xss);
        assertThat(bob.locator("#messages img")).hasCount(0);
        assertThat(dialog.get()).as("no script ran").isFalse();
    }
}
