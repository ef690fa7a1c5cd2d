package io.gifchat.cluster;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gifchat.messaging.SseClient;
import io.gifchat.room.Visitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fallback carrier without sticky sessions: a connection's event stream held by node a, its POSTs sent to node
 * b, which forwards them to a through Redis. Frames flow both ways as if every POST had gone to a; b answers
 * each POST with a's outcome (the same refusals), and a POST for a node that is not there is refused at once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class FallbackAcrossNodesTest extends AcrossTwoNodes {

    static final Duration WAIT = Duration.ofSeconds(10);

    @Override
    ClusterRun start() {
        return ClusterRun.onSharedRedis("fallback", 2);
    }

    @Test
    void aStreamOnOneNodeWithItsPostsSentToTheOtherChatsBothWays() throws Exception {
        String roomId = a.arrive().createRoom("Stream on a, posts to b", 10, null);
        Visitor ann = a.arrive();
        try (SseClient fallback = SseClient.open(a.port, ann.cookie(), ann.csrf())) {
            assertThat(fallback.postVia(b.port, "CONNECT\naccept-version:1.2\nheart-beat:0,0\n\n\0").statusCode())
                    .isEqualTo(204);
            assertThat(fallback.next("CONNECTED").data()).contains("user-name:" + ann.name());
            // Split across two POSTs to b, as a frame may be: one decoder per connection, on node a.
            assertThat(fallback.postVia(b.port, "SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\n\n\0"
                    + "SUBSCRIBE\nid:room\ndestination:/topic/chat/" + roomId)
                    .statusCode()).isEqualTo(204);
            assertThat(fallback.postVia(b.port, "\nreceipt:in\n\n\0").statusCode()).isEqualTo(204);
            assertThat(next(fallback, "RECEIPT", "receipt-id:in")).isNotNull();

            RoomTab bob = tab(RoomTab.enter(b, b.arrive(), roomId));
            bob.sayReceipted("to the fallback");
            assertThat(next(fallback, "MESSAGE", "\"chat\":\"to the fallback\"")).isNotNull();

            assertThat(fallback.postVia(b.port, "SEND\ndestination:/app/chat/" + roomId
                    + "\ncontent-type:application/json\nreceipt:said\n\n{\"chat\":\"from the fallback\","
                    + "\"clientId\":\"" + UUID.randomUUID() + "\"}\0").statusCode()).isEqualTo(204);
            assertThat(next(fallback, "RECEIPT", "receipt-id:said")).isNotNull();
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

    /**
     * The next frame on the stream of {@code command} that contains {@code text}, past the room's other lines (bob's
     * join may come before or after a RECEIPT).
     */
    private static String next(SseClient client, String command, String text) throws InterruptedException {
        for (;;) {
            SseClient.Event event = client.next();
            assertThat(event).as("the stream goes on").isNotEqualTo(SseClient.Event.END);
            if (event.command().equals(command) && event.data().contains(text)) {
                return event.data();
            }
            assertThat(event.data()).as("a refusal").doesNotContain("destination:/user/queue/errors");
        }
    }
}
