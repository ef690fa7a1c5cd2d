package io.gifchat.cluster;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.gifchat.messaging.SseClient;
import io.gifchat.room.Visitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fallback carrier without sticky sessions: a connection's event stream held by node a, its POSTs sent to node
 * b, which forwards them to a through Redis. Frames flow both ways as if every POST had gone to a; b answers
 * each POST with a's outcome (the same refusals), and a POST for a node that is not there is refused at once.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(NodeLogsOnFailure.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FallbackAcrossNodesTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    ClusterRun cluster;
    NodeProcess a;
    NodeProcess b;

    @BeforeAll
    void startCluster() {
        cluster = ClusterRun.onSharedRedis("fallback", 2);
        a = cluster.node(0);
        b = cluster.node(1);
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aStreamOnOneNodeWithItsPostsSentToTheOtherChatsBothWays() throws Exception {
        String roomId = a.arrive().createRoom("Stream on a, posts to b", 10, null);
        Visitor ann = a.arrive();
        try (SseClient fallback = SseClient.open(a.port, ann.cookie(), ann.csrf());
             RoomTab bob = RoomTab.enter(b, b.arrive(), roomId)) {
            assertThat(fallback.postVia(b.port, "CONNECT\naccept-version:1.2\nheart-beat:0,0\n\n\0").statusCode())
                    .isEqualTo(204);
            assertThat(fallback.next("CONNECTED").data()).contains("user-name:" + ann.name());
            // Split across two POSTs to b, as a frame may be: one decoder per connection, on node a.
            assertThat(fallback.postVia(b.port, "SUBSCRIBE\nid:room\ndestination:/topic/chat/" + roomId)
                    .statusCode()).isEqualTo(204);
            assertThat(fallback.postVia(b.port, "\nreceipt:in\n\n\0").statusCode()).isEqualTo(204);
            assertThat(fallback.next("RECEIPT").data()).contains("receipt-id:in");

            bob.sayReceipted("to the fallback");
            assertThat(nextChat(fallback)).contains("\"chat\":\"to the fallback\"");

            assertThat(fallback.postVia(b.port, "SEND\ndestination:/app/chat/" + roomId
                    + "\ncontent-type:application/json\nreceipt:said\n\n{\"chat\":\"from the fallback\","
                    + "\"clientId\":\"f-1\"}\0").statusCode()).isEqualTo(204);
            assertThat(fallback.next("RECEIPT").data()).contains("receipt-id:said");
            bob.awaitLine(RoomTab.chat("from the fallback"), WAIT);
        }
    }

    @Test
    void theOtherNodeAnswersAPostWithTheStreamNodesRefusal() throws Exception {
        Visitor ann = a.arrive();
        Visitor eve = b.arrive();
        try (SseClient fallback = SseClient.open(a.port, ann.cookie(), ann.csrf())) {
            HttpResponse<String> someoneElses = fallback.postVia(b.port, fallback.token,
                    "CONNECT\naccept-version:1.2\n\n\0".getBytes(StandardCharsets.UTF_8), eve.cookie(), eve.csrf());
            assertThat(someoneElses.statusCode()).as(someoneElses.body()).isEqualTo(403);
            assertThat(someoneElses.body()).contains("not yours");

            HttpResponse<String> tooLarge = fallback.postVia(b.port, fallback.token, new byte[200_000], ann.cookie(),
                    ann.csrf());
            assertThat(tooLarge.statusCode()).as(tooLarge.body()).isEqualTo(413);
            assertThat(fallback.next("ERROR").data()).contains("frame too large");
        }
    }

    @Test
    void aPostForANodeThatIsNotThereIsRefusedAtOnce() throws Exception {
        Visitor ann = b.arrive();
        try (SseClient fallback = SseClient.open(a.port, ann.cookie(), ann.csrf())) {
            long start = System.nanoTime();
            HttpResponse<String> gone = fallback.postVia(b.port, "no-such-node." + fallback.token.split("\\.")[1],
                    "CONNECT\n\n\0".getBytes(StandardCharsets.UTF_8), ann.cookie(), ann.csrf());
            assertThat(gone.statusCode()).as(gone.body()).isEqualTo(403);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not a timeout").isLessThan(Duration.ofSeconds(5));
        }
    }

    /** The next MESSAGE on the stream whose body is a chat line. */
    private static String nextChat(SseClient client) throws InterruptedException {
        for (;;) {
            String data = client.next("MESSAGE").data();
            if (data.contains("\"chat\":\"to the fallback\"")) {
                return data;
            }
        }
    }
}
