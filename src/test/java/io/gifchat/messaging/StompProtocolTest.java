package io.gifchat.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint against the spec, frame by frame, with a client that sends exactly the bytes a test writes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.stomp.open-destinations=/topic/t",
        "gifchat.stomp.connect-timeout=1s",
        "gifchat.stomp.heartbeat-send=200ms",
        "gifchat.stomp.heartbeat-receive=200ms",
        "gifchat.stomp.max-subscriptions=3"})
public class StompProtocolTest {

    static final String CONNECT = "CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0";
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

    RawStompClient connect() {
        client = RawStompClient.connected(port);
        return client;
    }

    public static String header(String frame, String name) {
        return frame.lines().skip(1).takeWhile(l -> !l.isEmpty())
                .filter(l -> l.startsWith(name + ":")).map(l -> unescape(l.substring(name.length() + 1)))
                .findFirst().orElse(null);
    }

    /** STOMP 1.2 header unescaping: \\c is ':', \\n, \\r, \\\\. */
    static String unescape(String value) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length()) {
                char e = value.charAt(++i);
                out.append(switch (e) {
                    case 'c' -> ':';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> e;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** name, frames sent before CONNECT (null = connect first), frames sent after, expected ERROR message. */
    static Stream<Arguments> refusals() {
        String big = "x".repeat(70 * 1024);
        StringBuilder manyHeaders = new StringBuilder("SEND\ndestination:/topic/t\n");
        for (int i = 0; i < 33; i++) {
            manyHeaders.append("h").append(i).append(":v\n");
        }
        manyHeaders.append("\n\0");
        return Stream.of(
                Arguments.of("SEND before CONNECT", List.of("SEND\ndestination:/topic/t\n\nhi\0"), null, "expected CONNECT"),
                Arguments.of("unsupported version", List.of("CONNECT\naccept-version:2.0\nhost:h\n\n\0"), null, "unsupported version"),
                Arguments.of("malformed heart-beat", List.of("CONNECT\naccept-version:1.2\nheart-beat:soon\n\n\0"), null, "malformed heart-beat"),
                Arguments.of("unknown command", null, List.of("SHOUT\n\n\0"), "unknown command"),
                Arguments.of("frame over 64 KiB", null, List.of("SEND\ndestination:/topic/t\n\n" + big + "\0"), "frame too large"),
                Arguments.of("WebSocket message of 200 KB, over what the WebSocket layer reads", null,
                        List.of("SEND\ndestination:/topic/t\n\n" + "x".repeat(200 * 1024) + "\0"), "frame too large"),
                Arguments.of("content-length over 64 KiB", null, List.of("SEND\ndestination:/topic/t\ncontent-length:70000\n\n"), "frame too large"),
                Arguments.of("33 headers", null, List.of(manyHeaders.toString()), "too many headers"),
                Arguments.of("header line over 8 KiB", null, List.of("SEND\ndestination:/topic/t\nx:" + "y".repeat(9000) + "\n\n\0"), "header line too long"),
                Arguments.of("header without colon", null, List.of("SEND\ndestination\n\n\0"), "malformed header"),
                Arguments.of("undefined escape", null, List.of("SEND\ndestination:/topic/t\nx:a\\tb\n\n\0"), "invalid escape sequence"),
                Arguments.of("SUBSCRIBE without id", null, List.of("SUBSCRIBE\ndestination:/topic/t\n\n\0"), "missing header: id"),
                Arguments.of("SEND without destination", null, List.of("SEND\n\nhi\0"), "missing header: destination"),
                Arguments.of("SEND to a destination nobody opened", null, List.of("SEND\ndestination:/topic/secret\n\nhi\0"), "destination not allowed: /topic/secret"),
                Arguments.of("SUBSCRIBE to a destination nobody opened", null, List.of("SUBSCRIBE\nid:1\ndestination:/topic/elsewhere/x\n\n\0"), "destination not allowed: /topic/elsewhere/x"),
                Arguments.of("SUBSCRIBE to an application destination", null, List.of("SUBSCRIBE\nid:1\ndestination:/app/chat/x\n\n\0"), "destination not allowed: /app/chat/x"),
                Arguments.of("SEND to another user's queue", null, List.of("SEND\ndestination:/user/queue/whisper\n\nhi\0"), "not allowed to send to /user/queue/whisper"),
                Arguments.of("client ack mode", null, List.of("SUBSCRIBE\nid:1\ndestination:/topic/t\nack:client\n\n\0"), "only ack:auto is supported"),
                Arguments.of("ACK", null, List.of("ACK\nid:5\n\n\0"), "ACK/NACK not supported: subscriptions are ack:auto"),
                Arguments.of("BEGIN", null, List.of("BEGIN\ntransaction:t1\n\n\0"), "transactions not supported"),
                Arguments.of("second CONNECT", null, List.of(CONNECT), "already connected"),
                Arguments.of("duplicate subscription id", null, List.of(
                        "SUBSCRIBE\nid:1\ndestination:/topic/t\n\n\0", "SUBSCRIBE\nid:1\ndestination:/topic/t\n\n\0"), "duplicate subscription id"),
                Arguments.of("fourth subscription", null, List.of(
                        "SUBSCRIBE\nid:1\ndestination:/topic/t\n\n\0", "SUBSCRIBE\nid:2\ndestination:/topic/t\n\n\0",
                        "SUBSCRIBE\nid:3\ndestination:/user/queue/errors\n\n\0", "SUBSCRIBE\nid:4\ndestination:/user/queue/notice\n\n\0"),
                        "too many subscriptions"),
                Arguments.of("a user queue the app never sends to", null, List.of(
                        "SUBSCRIBE\nid:1\ndestination:/user/queue/" + "q".repeat(4000) + "\n\n\0"),
                        "No such queue; the queues are /user/queue/errors, /user/queue/notice, /user/queue/whisper."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesWithAShortErrorAndCloses(String name, List<String> beforeConnect, List<String> afterConnect, String message) {
        if (beforeConnect != null) {
            client = RawStompClient.open(port, new HttpHeaders());
            beforeConnect.forEach(client::send);
        } else {
            connect();
            afterConnect.forEach(client::send);
        }

        String error = client.next();
        assertThat(error).as("ERROR frame").startsWith("ERROR\n");
        assertThat(header(error, "message")).isEqualTo(message);
        assertThat(error).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(client.awaitClose(CLOSE)).as("closed after ERROR").isNotNull();
    }

    @Test
    void aWebSocketMessageTooLargeToReadIsToldAsAStompErrorBeforeTheClose1009() {
        connect().send("SEND\ndestination:/topic/t\nreceipt:big\n\n" + "x".repeat(200 * 1024) + "\0");

        assertThat(header(client.next(), "message")).isEqualTo("frame too large");
        assertThat(client.awaitClose(CLOSE)).isNotNull()
                .extracting(status -> status.getCode()).isEqualTo(1009);
    }

    @Test
    void anUnsupportedVersionIsRefusedWithTheVersionsTheServerSpeaks() {
        client = RawStompClient.open(port, new HttpHeaders());
        client.send("CONNECT\naccept-version:2.0,2.1\nhost:h\n\n\0");

        String error = client.next();
        assertThat(error).startsWith("ERROR\n");
        assertThat(header(error, "message")).isEqualTo("unsupported version");
        assertThat(header(error, "version")).isEqualTo("1.0,1.1,1.2");
        assertThat(error).endsWith("\n\nSupported protocol versions are 1.0 1.1 1.2");
        assertThat(client.awaitClose(CLOSE)).isNotNull();
    }

    @Test
    void errorCarriesTheReceiptIdOfTheFailingFrame() {
        connect().send("SUBSCRIBE\nid:1\ndestination:/topic/nope\nreceipt:77\n\n\0");

        String error = client.next();
        assertThat(error).startsWith("ERROR\n");
        assertThat(header(error, "receipt-id")).isEqualTo("77");
    }

    @Test
    void connectedCarriesVersionHeartBeatServerSessionAndTheUsersColoredNickname() {
        client = RawStompClient.open(port, new HttpHeaders());
        client.send("STOMP\naccept-version:1.0,1.1,1.2\nhost:localhost\nheart-beat:0,0\n\n\0");

        String connected = client.next();
        assertThat(connected).startsWith("CONNECTED\n");
        assertThat(header(connected, "version")).isEqualTo("1.2");
        assertThat(header(connected, "heart-beat")).isEqualTo("200,200");
        assertThat(header(connected, "server")).startsWith("gif-chat/");
        assertThat(header(connected, "session")).isNotBlank();
        assertThat(header(connected, "user-name")).matches("[A-Z][a-z]+ [A-Z][a-z]+ \\d{1,2}");
        assertThat(header(connected, "user-color")).matches("#[0-9a-f]{6}");
        assertThat(header(connected, "user-id")).hasSize(36);
    }

    @Test
    void negotiatesTheHighestCommonVersionAndTheOfferedSubprotocol() {
        client = RawStompClient.open(port, new HttpHeaders(), "v10.stomp");
        assertThat(client.protocol()).isEqualTo("v10.stomp");
        client.send("CONNECT\naccept-version:1.0,1.1\n\n\0");
        assertThat(header(client.next(), "version")).isEqualTo("1.1");
    }

    @Test
    void connectWithoutAcceptVersionIsStomp10AndSubscriptionsMayOmitTheId() {
        client = RawStompClient.open(port, new HttpHeaders());
        client.send("CONNECT\n\n\0");
        assertThat(header(client.next(), "version")).isEqualTo("1.0");
        client.send("SUBSCRIBE\ndestination:/topic/t\nreceipt:s\n\n\0");
        assertThat(client.next()).startsWith("RECEIPT\n");
        client.send("SEND\ndestination:/topic/t\n\nold school\0");
        String message = client.next();
        assertThat(header(message, "subscription")).isEqualTo("/topic/t");
        assertThat(message).endsWith("\nold school");
    }

    @Test
    void receiptsFollowEveryFrameThatAsksAndDisconnectClosesAfterItsReceipt() {
        connect().send("SUBSCRIBE\nid:1\ndestination:/topic/t\nreceipt:a\n\n\0");
        assertThat(client.next()).isEqualTo("RECEIPT\nreceipt-id:a\n\n");
        client.send("SEND\ndestination:/topic/t\nreceipt:b\n\nhi\0");
        List<String> two = List.of(client.next(), client.next());
        assertThat(two).anyMatch(f -> f.startsWith("MESSAGE\n")).contains("RECEIPT\nreceipt-id:b\n\n");
        client.send("UNSUBSCRIBE\nid:1\nreceipt:c\n\n\0");
        assertThat(client.next()).isEqualTo("RECEIPT\nreceipt-id:c\n\n");
        client.send("DISCONNECT\nreceipt:d\n\n\0");
        assertThat(client.next()).isEqualTo("RECEIPT\nreceipt-id:d\n\n");
        assertThat(client.awaitClose(CLOSE)).isNotNull();
    }

    @Test
    void unsubscribeStopsDeliveryToThatSubscriptionOnly() {
        connect().send("SUBSCRIBE\nid:1\ndestination:/topic/t\n\n\0SUBSCRIBE\nid:2\ndestination:/topic/t\nreceipt:r\n\n\0");
        assertThat(client.next()).startsWith("RECEIPT");
        client.send("UNSUBSCRIBE\nid:1\nreceipt:u\n\n\0");
        assertThat(client.next()).startsWith("RECEIPT");
        client.send("SEND\ndestination:/topic/t\n\nafter\0");
        assertThat(header(client.next(), "subscription")).isEqualTo("2");
        assertThat(client.next(Duration.ofMillis(300))).as("nothing for subscription 1").isNull();
    }

    @Test
    void framesSplitAcrossMessagesSeveralPerMessageBinaryCrlfAndNulInBodiesAllWork() {
        client = RawStompClient.open(port, new HttpHeaders());
        client.send("CONN");
        client.send("ECT\r\naccept-version:1.2\r\nhost:x\r\n");
        client.send("\r\n\0");
        assertThat(client.next()).startsWith("CONNECTED");

        client.sendBinary(("SUBSCRIBE\nid:1\ndestination:/topic/t\n\n\0\n\n"
                + "SEND\ndestination:/topic/t\ncontent-type:text/plain\ncontent-length:7\n\nab\0cd\0e\0")
                .getBytes(StandardCharsets.UTF_8));

        String message = client.next();
        assertThat(message).startsWith("MESSAGE\n");
        assertThat(header(message, "content-length")).isEqualTo("7");
        assertThat(header(message, "content-type")).isEqualTo("text/plain");
        // The raw client splits on NUL, so the body arrives in pieces: all of them, in order.
        assertThat(message + "\0" + client.next() + "\0" + client.next()).endsWith("\n\nab\0cd\0e");
    }

    @Test
    void framesPipelinedBehindConnectAreReadWithTheNegotiatedEscaping() {
        client = RawStompClient.open(port, new HttpHeaders());
        client.send(CONNECT + "SUBSCRIBE\nid:a\\cb\ndestination:/topic/t\nreceipt:r\n\n\0SEND\ndestination:/topic/t\n\nx\0");
        assertThat(client.next()).startsWith("CONNECTED");
        assertThat(client.next()).startsWith("RECEIPT");
        assertThat(header(client.next(), "subscription")).isEqualTo("a:b");
    }

    @Test
    void headersAreEscapedPerSpecOnTheWayOut() {
        connect().send("SUBSCRIBE\nid:a\\cb\\\\c\ndestination:/topic/t\nreceipt:r\n\n\0");
        assertThat(client.next()).startsWith("RECEIPT");
        client.send("SEND\ndestination:/topic/t\n\nx\0");
        String message = client.next();
        assertThat(message).contains("\nsubscription:a\\cb\\\\c\n");
        assertThat(header(message, "subscription")).isEqualTo("a:b\\c");
    }

    @Test
    void aSendersOwnHeadersReachEverySubscriberEscapedForItsVersionAndServerHeadersCannotBeSpoofed() {
        try (RawStompClient v10 = RawStompClient.open(port, new HttpHeaders());
             RawStompClient v11 = RawStompClient.open(port, new HttpHeaders())) {
            // The 1.0 subscriber comes first: a header it cannot carry must not stop the fan-out at it.
            v10.send("CONNECT\n\n\0");
            assertThat(header(v10.next(), "version")).isEqualTo("1.0");
            v10.send("SUBSCRIBE\ndestination:/topic/t\nreceipt:s\n\n\0");
            assertThat(v10.next()).startsWith("RECEIPT");
            v11.send("CONNECT\naccept-version:1.1\n\n\0");
            assertThat(header(v11.next(), "version")).isEqualTo("1.1");
            v11.send("SUBSCRIBE\nid:11\ndestination:/topic/t\nreceipt:s\n\n\0");
            assertThat(v11.next()).startsWith("RECEIPT");
            connect().send("SUBSCRIBE\nid:12\ndestination:/topic/t\nreceipt:s\n\n\0");
            assertThat(client.next()).startsWith("RECEIPT");

            client.send("SEND\ndestination:/topic/t\ncontent-type:text/plain\nreceipt:r\ncust:f\\co\\co\\nbar\\rbaz\\\\\n"
                    + "plain:x\nmessage-id:spoofed\nsubscription:spoofed\nid:9\nack:client\ntransaction:t1\n\nhi\0");

            List<String> two = List.of(client.next(), client.next());
            assertThat(two).contains("RECEIPT\nreceipt-id:r\n\n");
            String v12Message = two.stream().filter(f -> f.startsWith("MESSAGE\n")).findFirst().orElseThrow();
            assertThat(header(v12Message, "cust")).isEqualTo("f:o:o\nbar\rbaz\\");
            assertThat(header(v12Message, "plain")).isEqualTo("x");
            assertThat(header(v12Message, "content-type")).isEqualTo("text/plain");
            assertThat(header(v12Message, "subscription")).isEqualTo("12");
            assertThat(header(v12Message, "message-id")).isNotEqualTo("spoofed");
            for (String owned : List.of("receipt", "id", "ack", "transaction")) {
                assertThat(header(v12Message, owned)).as(owned).isNull();
            }
            assertThat(v12Message).endsWith("\n\nhi");

            String v11Message = v11.next();
            assertThat(v11Message).as("1.1 escapes all but CR").contains("\ncust:f\\co\\co\\nbar\rbaz\\\\\n");
            assertThat(header(v11Message, "subscription")).isEqualTo("11");

            String v10Message = v10.next();
            assertThat(v10Message).as("1.0 cannot carry a line feed: that header is left out").doesNotContain("cust");
            assertThat(header(v10Message, "plain")).isEqualTo("x");
            assertThat(header(v10Message, "subscription")).isEqualTo("/topic/t");
            assertThat(v10Message).endsWith("\n\nhi");
        }
    }

    @Test
    void connectMustArriveWithinTheTimeout() {
        client = RawStompClient.open(port, new HttpHeaders());

        String error = client.next(Duration.ofSeconds(5));
        assertThat(header(error, "message")).isEqualTo("CONNECT timeout");
        assertThat(client.awaitClose(CLOSE)).isNotNull();
    }

    @Test
    void serverSendsHeartBeatsAtTheNegotiatedInterval() throws InterruptedException {
        client = RawStompClient.open(port, new HttpHeaders());
        client.send("CONNECT\naccept-version:1.2\nheart-beat:0,100\n\n\0");
        assertThat(header(client.next(), "heart-beat")).isEqualTo("200,200");

        Thread.sleep(1500); // observing a rate needs wall time: 200 ms negotiated → about 7 beats
        assertThat(client.heartbeats()).isBetween(3, 16);
        assertThat(client.isOpen()).isTrue();
    }

    @Test
    void aClientThatKeepsBeatingStaysAndOneThatFallsSilentIsClosed() throws InterruptedException {
        client = RawStompClient.open(port, new HttpHeaders());
        client.send("CONNECT\naccept-version:1.2\nheart-beat:100,0\n\n\0");
        assertThat(client.next()).startsWith("CONNECTED");

        for (int i = 0; i < 10; i++) {
            Thread.sleep(100);
            client.send("\n");
        }
        assertThat(client.isOpen()).as("alive while beating").isTrue();

        String error = client.next(Duration.ofSeconds(3));
        assertThat(header(error, "message")).isEqualTo("heart-beat timeout");
        assertThat(client.awaitClose(CLOSE)).isNotNull();
    }
}
