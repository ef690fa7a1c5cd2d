package io.gifchat.cluster;

import java.util.List;
import java.util.stream.LongStream;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.gifchat.TcpBalancer;
import io.gifchat.web.browser.Browsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes behind a load balancer without stickiness ({@link TcpBalancer}), in real Chromium: Bob's page reaches
 * node b through the balancer, Alice's is on node a. Node b is killed with SIGKILL mid-conversation; Bob's page
 * reconnects by itself — through the balancer, to node a, with the same session and identity — and both pages end
 * with every stored line exactly once, in seq order, the lines said while Bob was cut off included.
 */
@ExtendWith(NodeLogsOnFailure.class)
class NodeFailoverBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    ClusterRun cluster;
    TcpBalancer balancer;

    @AfterEach
    void stop() {
        if (balancer != null) {
            balancer.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    Page person(String label, int port) {
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

    static void sees(Page page, String text) {
        assertThat(page.locator("#messages .text", new Page.LocatorOptions().setHasText(text))).isVisible();
    }

    static List<Long> shownSeqs(Page page) {
        return page.locator("#messages li[data-seq]").all().stream()
                .map(li -> Long.valueOf(li.getAttribute("data-seq"))).toList();
    }

    @Test
    void aPageOnAKilledNodeReconnectsThroughTheBalancerToTheOtherAndShowsEveryStoredLineOnce() {
        cluster = ClusterRun.onSharedRedis("failover", 2);
        NodeProcess a = cluster.node(0);
        NodeProcess b = cluster.node(1);
        balancer = TcpBalancer.start(List.of(b.port, a.port)); // node b while it lives, then node a

        Page alice = person("alice", a.port);
        alice.locator("#room-form input[name=title]").fill("Survives a node");
        alice.locator("#room-form button[type=submit]").click();
        alice.waitForURL("**/room/*");
        String path = alice.url().substring(alice.url().indexOf("/room/"));
        Page bob = person("bob", balancer.port());
        bob.navigate(path);
        for (Page page : List.of(alice, bob)) {
            assertThat(page.locator("#status")).hasText("online");
        }
        send(alice, "hello from node a");
        send(bob, "hello from node b");
        sees(bob, "hello from node a");
        sees(alice, "hello from node b");

        b.kill();
        send(alice, "said while bob was cut off");
        assertThat(bob.locator("#status")).hasText("online", new LocatorAssertions.HasTextOptions().setTimeout(30_000));
        sees(bob, "said while bob was cut off");
        send(bob, "back, through node a");
        sees(alice, "back, through node a");

        for (Page page : List.of(alice, bob)) {
            page.waitForCondition(() -> shownSeqs(page).equals(shownSeqs(alice)) && shownSeqs(page).size() >= 2);
        }
        List<Long> seqs = shownSeqs(bob);
        assertThat(seqs).as("every stored line once, in order, none missing")
                .isEqualTo(LongStream.rangeClosed(seqs.get(0), seqs.get(0) + seqs.size() - 1).boxed().toList());
        assertThat(shownSeqs(alice)).isEqualTo(seqs);
        for (String text : List.of("hello from node a", "hello from node b", "said while bob was cut off",
                "back, through node a")) {
            for (Page page : List.of(alice, bob)) {
                assertThat(page.locator("#messages .text", new Page.LocatorOptions().setHasText(text))).hasCount(1);
            }
        }
        browsers.assertNoErrors();
    }
}
