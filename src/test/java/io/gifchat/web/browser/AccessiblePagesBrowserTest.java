package io.gifchat.web.browser;

import java.util.ArrayList;
import java.util.List;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.options.AriaRole;
import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/**
 * The lobby, login, password, admin and error pages, in each of their states, for people who use a screen reader,
 * the keyboard or a dim screen: every control has a name, text has a contrast of at least 4.5:1, and each page has
 * one banner, one main and one top heading ({@link PageChecks}).
 */
@SpringBootTest(webEnvironment = RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=0s", "gifchat.admin.password=a11y-admin-pw"})
class AccessiblePagesBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    private final List<RawStompClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(RawStompClient::close);
    }

    static void assertAccessible(Page page, String state) {
        assertThat(PageChecks.unnamedControls(page)).as("%s: controls without a name", state).isEmpty();
        assertThat(PageChecks.lowContrastText(page)).as("%s: text below 4.5:1", state).isEmpty();
        assertThat(PageChecks.structureProblems(page)).as("%s: landmarks and headings", state).isEmpty();
    }

    /** No script error and no CSP violation; the refusals these tests provoke are logged (by Chromium, by htmx). */
    static void assertNoErrorsButRefusals() {
        assertThat(browsers.errors()).allMatch(line -> line.contains("the server responded with a status of")
                || line.contains("Response Status Error Code"));
    }

    /** Somebody in the room, through its STOMP subscription (a fresh identity each). */
    void fillAPlace(String roomId) {
        RawStompClient client = RawStompClient.connected(port);
        clients.add(client);
        client.send("SUBSCRIBE\nid:r\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
        String answer;
        do {
            answer = client.next();
        } while (answer != null && !answer.startsWith("RECEIPT"));
        assertThat(answer).as("entered room %s", roomId).isNotNull();
    }

    @Test
    void theLobbyWithOpenLockedAndFullRoomsAndItsCreateFormInEveryState() {
        Visitor owner = Visitor.arrive(port);
        owner.createRoom("Open to all", 10, null);
        owner.createRoom("Members only", 10, "sesame");
        String full = owner.createRoom("Two seats, taken", 2, null);
        fillAPlace(full);
        fillAPlace(full);

        Page page = browsers.newContext("visitor").newPage();
        page.navigate("/");
        assertThat(page.locator("#live")).hasText("live");
        assertThat(page.locator("li.room.full")).hasCount(1);
        assertThat(page.locator(".me .nickname")).hasAttribute("style", java.util.regex.Pattern.compile("color"));
        assertAccessible(page, "lobby");

        page.locator("#room-form button[type=submit]").click(); // no title
        assertThat(page.locator("#room-form .field-error[data-field=title]")).isVisible();
        assertThat(page.locator("#room-form input[name=title]")).hasAttribute("aria-invalid", "true");
        assertThat(page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("Title")))
                .hasAccessibleDescription("Give the room a title.");
        assertAccessible(page, "lobby, create form with a field error");

        page.route(url -> url.endsWith("/rooms") && !url.contains("/api/"), route -> route.fulfill(
                new Route.FulfillOptions().setStatus(503).setContentType("application/problem+json")
                        .setBody("{\"status\":503,\"detail\":\"The server is busy; try again in a moment.\"}")));
        page.locator("#room-form input[name=title]").fill("Refused");
        page.locator("#room-form button[type=submit]").click();
        assertThat(page.getByRole(AriaRole.ALERT)).hasText("The server is busy; try again in a moment.");
        assertAccessible(page, "lobby, create refused");
        assertNoErrorsButRefusals();
    }

    @Test
    void theLoginPageOnAFirstVisitAfterAWrongPasswordAndAfterLoggingOut() {
        Page page = browsers.newContext("admin").newPage();
        page.navigate("/login");
        assertAccessible(page, "login");

        page.getByLabel("User").fill("admin");
        page.getByLabel("Password").fill("wrong");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        page.waitForURL("**/login?error");
        assertThat(page.getByRole(AriaRole.TEXTBOX, new Page.GetByRoleOptions().setName("User")))
                .hasAccessibleDescription("Wrong user name or password.");
        assertAccessible(page, "login after a wrong password");

        page.navigate("/login?logout");
        assertAccessible(page, "login after logging out");
        assertNoErrorsButRefusals();
    }

    @Test
    void thePasswordPageOfALockedRoomBeforeAndAfterAWrongPassword() {
        String id = Visitor.arrive(port).createRoom("Behind a password", 5, "sesame");
        Page page = browsers.newContext("guest").newPage();
        page.navigate("/room/" + id);
        assertThat(page.locator("h1")).containsText("Behind a password");
        assertAccessible(page, "password page");

        page.getByLabel("Password", new Page.GetByLabelOptions().setExact(true)).fill("wrong");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Enter")).click();
        assertThat(page.getByRole(AriaRole.ALERT)).hasText("Wrong password.");
        assertAccessible(page, "password page after a wrong password");
        assertNoErrorsButRefusals();
    }

    @Test
    void theAdminPageWithRoomsToDelete() {
        Visitor owner = Visitor.arrive(port);
        owner.createRoom("Admin sees this", 10, "sesame");
        String busy = owner.createRoom("Admin sees people", 10, null);
        fillAPlace(busy);

        Page page = browsers.newContext("admin").newPage();
        page.navigate("/login");
        page.getByLabel("User").fill("admin");
        page.getByLabel("Password").fill("a11y-admin-pw");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log in")).click();
        page.waitForURL(browsers.baseUrl() + "/");
        page.navigate("/admin");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete Admin sees this")))
                .isVisible();
        assertAccessible(page, "admin");
        browsers.assertNoErrors();
    }

    @Test
    void theErrorPage() {
        Page page = browsers.newContext("visitor").newPage();
        assertThat(page.navigate("/no/such/page").status()).isEqualTo(404);
        assertAccessible(page, "error page");
    }
}
