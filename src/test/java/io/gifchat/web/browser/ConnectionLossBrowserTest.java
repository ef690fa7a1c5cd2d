package io.gifchat.web.browser;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.gifchat.room.Visitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.springframework.boot.test.context.SpringBootTest.WebEnvironment.RANDOM_PORT;

/**
 * An ERROR about the connection — here `idle timeout`, as a background tab whose throttled timers miss their
 * heart-beats would get — ends only that connection: the room page reconnects and carries on, instead of giving the
 * room up as it does for a refusal. The server's idle timeout is shorter than the page's 10 s heart-beats, so every
 * connection of this page is cut after 1.5 s.
 */
@SpringBootTest(webEnvironment = RANDOM_PORT, properties = "gifchat.stomp.idle-timeout=1500ms")
class ConnectionLossBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Test
    void aConnectionCutForSilenceIsReconnectedAndTheRoomStaysUsable() {
        String room = Visitor.arrive(port).createRoom("quiet tab", 10, null);
        Page page = browsers.newContext("quiet").newPage();
        page.navigate("/room/" + room);
        assertThat(page.locator("#status")).hasText("online");

        // Cut (the status says so), then back without a word from the person.
        assertThat(page.locator("#status")).hasText("reconnecting…");
        assertThat(page.locator("#status")).hasText("online");

        assertThat(page.locator("#banner")).isHidden();
        assertThat(page.locator("#message")).isEnabled();
        page.locator("#message").fill("still here");
        page.locator("#message").press("Enter");
        // The page is cut again every 1.5 s; the outbox sends the line (again, with its clientId) until the server
        // has it, once.
        assertThat(page.locator("#messages .message").filter(new Locator.FilterOptions().setHasText("still here")))
                .hasCount(1);
        assertThat(page.locator("#messages li.pending")).hasCount(0);
    }
}
