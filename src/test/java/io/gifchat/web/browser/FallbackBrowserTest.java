package io.gifchat.web.browser;

import java.util.List;
import java.util.regex.Pattern;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/**
 * The room list and a room on a network whose proxy refuses WebSocket upgrades (403, as corporate proxies answer):
 * the pages switch to the fallback carrier (Server-Sent Events + POSTs), say so, and everything still works.
 */
@SpringBootTest(webEnvironment = RANDOM_PORT, properties = "gifchat.rooms.empty-grace=0s")
class FallbackBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    UpgradeRefusingProxy proxy;

    @BeforeEach
    void startProxy() {
        proxy = UpgradeRefusingProxy.start(port);
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    private Page person(String label) {
        Page page = browsers.newContext(label, new Browser.NewContextOptions().setBaseURL(proxy.url())).newPage();
        page.navigate("/");
        assertThat(page.locator("#live")).hasText("live");
        assertThat(page.locator("#fallback-note")).isVisible();
        assertThat(page.locator("#fallback-note")).hasText("fallback connection");
        return page;
    }

    private List<Page> twoInARoom(String title) {
        Page alice = person("alice");
        alice.locator("#room-form input[name=title]").fill(title);
        alice.locator("#room-form button[type=submit]").click();
        alice.waitForURL("**/room/*");
        assertThat(alice.locator("#status")).hasText("online");
        Page bob = person("bob");
        bob.navigate(alice.url());
        assertThat(bob.locator("#status")).hasText("online");
        assertThat(alice.locator("#participants li")).hasCount(2);
        for (Page page : List.of(alice, bob)) {
            assertThat(page.locator("#fallback-note")).isVisible();
        }
        return List.of(alice, bob);
    }

    @Test
    void twoUsersChatBothWaysAndShareAGifOverTheFallback() {
        List<Page> pages = twoInARoom("Behind a proxy");
        Page alice = pages.get(0);
        Page bob = pages.get(1);

        ChatBrowserTest.send(alice, "Hi Bob!");
        assertThat(ChatBrowserTest.chat(bob, "Hi Bob!")).isVisible();
        ChatBrowserTest.send(bob, "Hello Alice");
        assertThat(ChatBrowserTest.chat(alice, "Hello Alice")).isVisible();
        assertThat(ChatBrowserTest.chat(alice, "Hi Bob!")).hasCount(1);
        assertThat(ChatBrowserTest.chat(bob, "Hello Alice")).hasCount(1);
        assertThat(alice.locator("#messages li.pending")).hasCount(0);

        alice.locator("#gif-input").setInputFiles(new FilePayload("party.gif", "image/gif", TestGifs.animated(200, 6)));
        alice.locator("#gif-send").click();
        assertThat(alice.locator("#upload-status")).hasText("sent");
        for (Page page : pages) {
            Locator img = page.locator("#messages li.gif img.gif");
            assertThat(img).hasCount(1);
            assertThat(img).hasAttribute("src", Pattern.compile("^/gif/[A-Za-z0-9_-]{22}$"));
            page.waitForCondition(() -> (Boolean) img.evaluate("i => i.complete && i.naturalWidth === 200"));
        }

        // Each page tried a WebSocket once, then remembered the fallback for the browser session: no more upgrades.
        assertThat(proxy.refused()).isEqualTo(2);
        assertThat(alice.evaluate("sessionStorage.getItem('gifchat.transport')")).isEqualTo("fallback");
        assertThat(browsers.errors()).allSatisfy(error -> assertThat(error).contains("WebSocket"));
    }
}
