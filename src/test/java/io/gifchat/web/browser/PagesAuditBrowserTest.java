package io.gifchat.web.browser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import io.gifchat.room.Visitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/**
 * Every page at desktop and phone size: a screenshot {@code target/screenshots/page-*.png} for a reviewer, and an
 * axe-core run with no serious or critical violation. The pages are shown as people see them: a room with people
 * and lines in it, a locked room's password form, the admin's table with rooms in it.
 */
@SpringBootTest(webEnvironment = RANDOM_PORT, properties = {"gifchat.admin.password=audit-admin-password",
        "gifchat.rooms.empty-grace=0s"})
class PagesAuditBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    static final Path SHOTS = Path.of("target", "screenshots");

    @LocalServerPort
    int port;

    enum Size {
        DESKTOP(new Browser.NewContextOptions().setViewportSize(1280, 800)),
        PHONE(new Browser.NewContextOptions().setViewportSize(390, 844).setDeviceScaleFactor(2).setIsMobile(true)
                .setHasTouch(true));

        final Browser.NewContextOptions options;

        Size(Browser.NewContextOptions options) {
            this.options = options;
        }
    }

    @Test
    void everyPageAtDesktopAndPhoneSizeHasNoSeriousOrCriticalAxeViolation() throws Exception {
        Visitor host = Visitor.arrive(port);
        String open = host.createRoom("Cats and coffee ☕ — a long title to see how a phone shows it", 10, null);
        String locked = host.createRoom("Locked room", 10, "secret");
        List<String> found = new ArrayList<>();

        for (Size size : Size.values()) {
            String suffix = size.name().toLowerCase();
            BrowserContext alice = context("alice-" + suffix, size);
            BrowserContext bob = context("bob-" + suffix, size);

            Page lobby = alice.newPage();
            lobby.navigate("/");
            assertThat(lobby.locator(".nickname").first()).isVisible();
            found.addAll(audit(lobby, "lobby-" + suffix));

            Page room = alice.newPage();
            room.navigate("/room/" + open);
            Page other = bob.newPage();
            other.navigate("/room/" + open);
            assertThat(room.locator("#status")).hasText("online");
            assertThat(other.locator("#status")).hasText("online");
            for (String line : List.of("hello from the audit", "Привет, мир", "see https://example.org/docs")) {
                other.locator("#message").fill(line);
                other.locator("#message").press("Enter");
            }
            assertThat(room.locator("#messages .message").last()).containsText("https://example.org/docs");
            found.addAll(audit(room, "room-" + suffix));

            Page password = bob.newPage();
            password.navigate("/room/" + locked);
            found.addAll(audit(password, "password-" + suffix));

            Page login = context("admin-" + suffix, size).newPage();
            login.navigate("/login");
            found.addAll(audit(login, "login-" + suffix));
            login.locator("input[name=username]").fill("admin");
            login.locator("input[name=password]").fill("audit-admin-password");
            login.locator("button[type=submit]").click();
            login.waitForURL(url -> !url.contains("/login"));
            login.navigate("/admin");
            assertThat(login.locator("body")).containsText("Cats and coffee");
            found.addAll(audit(login, "admin-" + suffix));

            Page missing = alice.newPage();
            missing.navigate("/no/such/page");
            found.addAll(audit(missing, "not-found-" + suffix));

            room.close();
            other.close();
        }

        assertThat(found).as("serious or critical axe-core violations").isEmpty();
    }

    BrowserContext context(String label, Size size) throws Exception {
        BrowserContext context = browsers.newContext(label, size.options);
        Axe.into(context);
        return context;
    }

    static List<String> audit(Page page, String name) {
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve("page-" + name + ".png")).setFullPage(true));
        return Axe.seriousViolations(page).stream().map(v -> name + ": " + v).toList();
    }
}
