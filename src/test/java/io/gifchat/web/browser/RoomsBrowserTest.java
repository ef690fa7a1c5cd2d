package io.gifchat.web.browser;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/** Rooms as people use them, in real Chromium windows side by side. */
@SpringBootTest(webEnvironment = RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=0s", "gifchat.admin.password=browser-admin-pw"})
class RoomsBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    static Page person(String label) {
        Page page = browsers.newContext(label).newPage();
        page.navigate("/");
        assertThat(page.locator("#live")).hasText("live");
        return page;
    }

    static String nickname(Page page) {
        return page.locator(".me .nickname").textContent();
    }

    static void createRoom(Page page, String title, String password) {
        page.locator("#room-form input[name=title]").fill(title);
        if (password != null) {
            page.locator("#room-form input[name=password]").fill(password);
        }
        page.locator("#room-form button[type=submit]").click();
        page.waitForURL("**/room/*");
        assertThat(page.locator("#status")).hasText("online");
    }

    static Locator roomInList(Page lobby, String title) {
        return lobby.locator("#rooms li.room", new Page.LocatorOptions().setHasText(title));
    }

    @Test
    void aRoomCreatedInOneBrowserAppearsLiveInAnothersList() {
        Page alice = person("alice");
        Page bob = person("bob");

        createRoom(alice, "Live from Alice", null);

        Locator room = roomInList(bob, "Live from Alice");
        assertThat(room).isVisible();
        assertThat(room.locator(".owner .nickname")).hasText(nickname(alice));
        assertThat(room.locator(".participants")).hasText("1");
        browsers.assertNoErrors();
    }

    @Test
    void aLockedRoomAsksForItsPassword() {
        Page alice = person("alice");
        Page bob = person("bob");
        createRoom(alice, "Members only", "letmein");

        Locator room = roomInList(bob, "Members only");
        assertThat(room.locator(".lock")).isVisible();
        room.locator("a").click();
        assertThat(bob.locator("text=This room is locked")).isVisible();
        assertThat(bob).not().hasURL(java.util.regex.Pattern.compile(".*letmein.*"));

        bob.locator("input[name=password]").fill("wrong");
        bob.locator("button[type=submit]").click();
        assertThat(bob.locator(".field-error")).hasText("Wrong password.");
        bob.locator("input[name=password]").fill("letmein");
        bob.locator("button[type=submit]").click();
        assertThat(bob.locator("#status")).hasText("online");
        assertThat(bob.locator("#participants li")).hasCount(2);
    }

    @Test
    void twoUsersSeeEachOtherJoinAndLeave() {
        Page alice = person("alice");
        createRoom(alice, "Hello room", null);
        String roomUrl = alice.url();
        Page bob = person("bob");
        String bobName = nickname(bob);

        bob.navigate(roomUrl);
        assertThat(bob.locator("#status")).hasText("online");

        assertThat(alice.locator("#messages .system", new Page.LocatorOptions().setHasText(bobName + " joined"))).isVisible();
        assertThat(alice.locator("#participants li", new Page.LocatorOptions().setHasText(bobName))).isVisible();
        assertThat(bob.locator("#participants li", new Page.LocatorOptions().setHasText(nickname(alice)))).isVisible();

        bob.navigate("/");

        assertThat(alice.locator("#messages .system", new Page.LocatorOptions().setHasText(bobName + " left"))).isVisible();
        assertThat(alice.locator("#participants li")).hasCount(1);
        assertThat(alice.locator("#participant-count")).hasText("1");
        browsers.assertNoErrors();
    }

    @Test
    void theAdminDeletesARoomAndItDisappearsFromBothUsersScreens() {
        Page alice = person("alice");
        createRoom(alice, "Soon gone", null);
        Page bob = person("bob");
        assertThat(roomInList(bob, "Soon gone")).isVisible();

        Page admin = browsers.newContext("admin").newPage();
        admin.navigate("/admin");
        admin.waitForURL("**/login");
        admin.locator("input[name=username]").fill("admin");
        admin.locator("input[name=password]").fill("browser-admin-pw");
        admin.locator("button[type=submit]").click();
        admin.navigate("/admin");
        Locator row = admin.locator("tr", new Page.LocatorOptions().setHasText("Soon gone"));
        assertThat(row).isVisible();
        admin.onDialog(dialog -> dialog.accept());
        row.locator("button", new Locator.LocatorOptions().setHasText("Delete")).click();
        assertThat(row).hasCount(0);

        assertThat(alice.locator("#banner")).hasText("This room was deleted.");
        assertThat(alice.locator("#status")).hasText("disconnected");
        assertThat(roomInList(bob, "Soon gone")).hasCount(0);
    }
}
