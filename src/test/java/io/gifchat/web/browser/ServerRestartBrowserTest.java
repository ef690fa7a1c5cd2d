package io.gifchat.web.browser;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import io.gifchat.GifChatApplication;
import io.gifchat.chat.ChatRepository;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.data.domain.PageRequest;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server restarts in the middle of a conversation (same port, same H2 file): both browsers reconnect by
 * themselves, a message typed while the server was down goes out once it is back, and each browser ends with
 * every stored message exactly once.
 */
class ServerRestartBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @TempDir
    Path dir;

    int port;
    ConfigurableApplicationContext app;

    ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(GifChatApplication.class).run("--server.port=" + port,
                "--gifchat.embedded-mongo.storage=file", "--gifchat.embedded-mongo.path=" + dir.resolve("gifchat.mv"),
                "--gifchat.rooms.empty-grace=0s");
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
    }

    Page person(String label) {
        Page page = browsers.newContext(label, new Browser.NewContextOptions().setBaseURL("http://127.0.0.1:" + port))
                .newPage();
        page.navigate("/");
        assertThat(page.locator("#live")).hasText("live");
        return page;
    }

    static void send(Page page, String text) {
        page.locator("#message").fill(text);
        page.locator("#send").click();
    }

    /** The stored lines each page shows, by seq, in page order. */
    static List<Long> shownSeqs(Page page) {
        return page.locator("#messages li[data-seq]").all().stream()
                .map(li -> Long.valueOf(li.getAttribute("data-seq"))).toList();
    }

    @Test
    void bothBrowsersEndWithEveryStoredMessageExactlyOnce() throws IOException {
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        app = start();
        Page alice = person("alice");
        alice.locator("#room-form input[name=title]").fill("Restart-proof");
        alice.locator("#room-form button[type=submit]").click();
        alice.waitForURL("**/room/*");
        String roomId = alice.url().substring(alice.url().lastIndexOf('/') + 1);
        Page bob = person("bob");
        bob.navigate(alice.url());
        for (Page page : List.of(alice, bob)) {
            assertThat(page.locator("#status")).hasText("online");
        }
        send(alice, "before 1");
        send(bob, "before 2");
        assertThat(alice.locator("#messages .text", new Page.LocatorOptions().setHasText("before 2"))).isVisible();
        assertThat(bob.locator("#messages .text", new Page.LocatorOptions().setHasText("before 1"))).isVisible();

        app.close();
        app = null;
        for (Page page : List.of(alice, bob)) {
            assertThat(page.locator("#status")).hasText("reconnecting…");
        }
        send(alice, "typed while offline");
        assertThat(alice.locator("#messages li.pending .delivery")).hasText("waiting for connection…");

        app = start();
        for (Page page : List.of(alice, bob)) {
            assertThat(page.locator("#status")).hasText("online", new com.microsoft.playwright.assertions
                    .LocatorAssertions.HasTextOptions().setTimeout(30_000));
        }
        assertThat(bob.locator("#messages .text", new Page.LocatorOptions().setHasText("typed while offline"))).isVisible();
        send(bob, "after");
        assertThat(alice.locator("#messages .text", new Page.LocatorOptions().setHasText("after"))).isVisible();
        assertThat(alice.locator("#messages li.pending")).hasCount(0);

        List<Long> stored = app.getBean(ChatRepository.class)
                .findByRoomAndSeqGreaterThanOrderBySeqAsc(roomId, 0, PageRequest.of(0, 1000))
                .map(chat -> chat.seq()).collectList().block(java.time.Duration.ofSeconds(10));
        for (Page page : List.of(alice, bob)) {
            page.waitForCondition(() -> shownSeqs(page).size() >= stored.size());
            assertThat(shownSeqs(page)).as("every stored message exactly once, in order").isEqualTo(stored);
            for (String text : List.of("before 1", "before 2", "typed while offline", "after")) {
                assertThat(page.locator("#messages .text", new Page.LocatorOptions().setHasText(text))).hasCount(1);
            }
        }
    }
}
