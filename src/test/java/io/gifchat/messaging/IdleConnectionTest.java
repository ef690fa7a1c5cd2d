package io.gifchat.messaging;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;

import static io.gifchat.messaging.StompProtocolTest.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Connections that go quiet: the idle timeout (here 300 ms instead of 5 min) and heart-beat values too large for
 * any timer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.stomp.open-destinations=/topic/t",
        "gifchat.stomp.idle-timeout=300ms",
        "gifchat.stomp.heartbeat-send=200ms",
        "gifchat.stomp.heartbeat-receive=200ms"})
class IdleConnectionTest {

    static final Duration CLOSE = Duration.ofSeconds(5);

    @LocalServerPort
    int port;

    RawStompClient client;

    @AfterEach
    void close() {
        if (client != null) {
            client.close();
        }
    }

    @Test
    void aConnectionThatNegotiatedNoHeartBeatsAndSendsNothingIsClosedWithAnIdleTimeout() {
        client = RawStompClient.connected(port); // heart-beat:0,0

        String error = client.next(Duration.ofSeconds(3));
        assertThat(error).startsWith("ERROR\n");
        assertThat(header(error, "message")).isEqualTo("idle timeout");
        assertThat(client.awaitClose(CLOSE)).isNotNull();
    }

    @Test
    void anyFrameOrHeartBeatEolFromTheClientResetsTheIdleTimer() {
        client = RawStompClient.connected(port);
        AtomicInteger polls = new AtomicInteger();

        // Three idle timeouts long, the client sends something every 100 ms: an EOL, then a frame, and so on.
        await().pollInterval(Duration.ofMillis(100)).during(Duration.ofMillis(900)).atMost(Duration.ofSeconds(5))
                .until(() -> {
                    client.send(polls.getAndIncrement() % 2 == 0 ? "\n" : "SEND\ndestination:/topic/t\n\nstill here\0");
                    return client.isOpen();
                });

        assertThat(client.next(Duration.ofMillis(50))).as("nothing refused while it kept talking").isNull();
        String error = client.next(Duration.ofSeconds(3));
        assertThat(header(error, "message")).as("and once it stops").isEqualTo("idle timeout");
        assertThat(client.awaitClose(CLOSE)).isNotNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807,9223372036854775807", "999999999999999999,100",
            "99999999999999999999999,100"})
    void aHeartBeatTooLargeForTheTimerIsClampedAndNeitherEndsTheConnectionNorDisablesTheServersChecks(String heartBeat) {
        client = RawStompClient.open(port, new HttpHeaders());
        client.send("CONNECT\naccept-version:1.2\nheart-beat:" + heartBeat + "\n\n\0");
        assertThat(header(client.next(), "heart-beat")).as("CONNECTED").isEqualTo("200,200");
        client.send("SUBSCRIBE\nid:1\ndestination:/topic/t\nreceipt:alive\n\n\0");
        assertThat(client.next()).as("still served").isEqualTo("RECEIPT\nreceipt-id:alive\n\n");

        // Twice a 24-day interval is not now: what ends the silent client is the idle timeout, not an overflow.
        String error = client.next(Duration.ofSeconds(3));
        assertThat(header(error, "message")).isEqualTo("idle timeout");
        assertThat(client.awaitClose(CLOSE)).isNotNull();
        if (heartBeat.endsWith(",100")) {
            assertThat(client.heartbeats()).as("the server's own heart-beats (every 200 ms) went out").isPositive();
        }
    }
}
