package io.gifchat.messaging;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.gifchat.room.Visitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static io.gifchat.messaging.StompProtocolTest.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The fallback carrier (Server-Sent Events down, POSTs up) as a client sees it: the same STOMP, other bytes. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.stomp.open-destinations=/topic/t",
        "gifchat.stomp.allowed-origins=https://allowed.example",
        "gifchat.stomp.heartbeat-send=200ms"})
@Timeout(60)
class FallbackCarrierTest {

    private static final String CONNECT = StompProtocolTest.CONNECT;

    @LocalServerPort
    int port;

    @Autowired
    EventStreams streams;

    private final List<SseClient> clients = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (SseClient client : clients) {
            client.close();
        }
    }

    private SseClient open() throws Exception {
        Visitor visitor = Visitor.arrive(port);
        SseClient client = SseClient.open(port, visitor.cookie(), visitor.csrf());
        clients.add(client);
        return client;
    }

    private SseClient connected() throws Exception {
        SseClient client = open();
        assertThat(client.post(CONNECT).statusCode()).isEqualTo(204);
        client.next("CONNECTED");
        return client;
    }

    @Test
    void theStreamIsAnEventStreamWhoseFirstEventTellsAnUnguessableToken() throws Exception {
        SseClient client = open();
        assertThat(client.contentType()).startsWith("text/event-stream");
        String secret = client.token.substring(client.token.indexOf('.') + 1);
        assertThat(secret).matches("[A-Za-z0-9_-]{22}"); // 128 bits, base64url
        assertThat(open().token).isNotEqualTo(client.token);
    }

    @Test
    void severalFramesInOnePostAreHandledInOrder() throws Exception {
        SseClient client = open();
        String frames = CONNECT
                + "SUBSCRIBE\nid:0\ndestination:/topic/t\nreceipt:r1\n\n\0"
                + "SEND\ndestination:/topic/t\n\nhello\0";
        assertThat(client.post(frames).statusCode()).isEqualTo(204);
        client.next("CONNECTED");
        assertThat(header(client.next("RECEIPT").data(), "receipt-id")).isEqualTo("r1");
        assertThat(client.next("MESSAGE").data()).endsWith("\n\nhello\0");
    }

    @Test
    void aFrameSplitAcrossPostsIsDecodedWhole() throws Exception {
        SseClient client = open();
        String frames = CONNECT + "SUBSCRIBE\nid:0\ndestination:/topic/t\nreceipt:r1\n\n\0";
        int[] cuts = {3, CONNECT.length() - 1, CONNECT.length() + 9, frames.length()};
        int from = 0;
        for (int cut : cuts) {
            assertThat(client.post(frames.substring(from, cut)).statusCode()).isEqualTo(204);
            from = cut;
        }
        client.next("CONNECTED");
        assertThat(header(client.next("RECEIPT").data(), "receipt-id")).isEqualTo("r1");
    }

    @Test
    void serverHeartBeatsArriveAsEventsOfOneEol() throws Exception {
        SseClient client = open();
        client.post("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,100\n\n\0");
        client.next("CONNECTED");
        assertThat(client.next().data()).isEqualTo("\n");
        assertThat(client.next().data()).isEqualTo("\n");
    }

    @Test
    void anErrorIsTheLastEventThenTheStreamEnds() throws Exception {
        SseClient client = connected();
        client.post("BOGUS\n\n\0");
        assertThat(header(client.next("ERROR").data(), "message")).isNotBlank();
        assertThat(client.next()).isEqualTo(SseClient.Event.END);
        await().untilAsserted(() -> assertThat(streams.count()).isZero());
        assertThat(client.post("SEND\ndestination:/topic/t\n\nx\0").statusCode()).isEqualTo(403);
    }

    @Test
    void aMessageBodyThatIsNotUtf8ArrivesBase64Encoded() throws Exception {
        SseClient client = connected();
        client.post("SUBSCRIBE\nid:0\ndestination:/topic/t\nreceipt:r\n\n\0");
        client.next("RECEIPT");
        byte[] head = "SEND\ndestination:/topic/t\ncontent-length:3\n\n".getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[head.length + 4];
        System.arraycopy(head, 0, frame, 0, head.length);
        frame[head.length] = (byte) 0xff;
        frame[head.length + 1] = 0;
        frame[head.length + 2] = '\r';
        client.post(frame);
        SseClient.Event message = client.next("MESSAGE");
        assertThat(message.type()).isEqualTo("base64");
        byte[] bytes = message.bytes();
        assertThat(bytes).endsWith((byte) 0xff, (byte) 0, (byte) '\r', (byte) 0);
    }

    @Test
    void aPostBeyondTheLimitIsRefusedWith413AndEndsTheConnection() throws Exception {
        SseClient client = connected();
        byte[] huge = new byte[2 * 64 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) 'x');
        assertThat(client.post(huge).statusCode()).isEqualTo(413);
        assertThat(header(client.next("ERROR").data(), "message")).isEqualTo("frame too large");
        assertThat(client.next()).isEqualTo(SseClient.Event.END);
    }

    @Test
    void closingTheStreamEndsTheConnection() throws Exception {
        SseClient client = connected();
        await().until(() -> streams.count() == 1);
        client.close();
        await().untilAsserted(() -> assertThat(streams.count()).isZero());
    }

    @Test
    void aStreamFromAnotherOriginIsRefusedWith403() throws Exception {
        Visitor visitor = Visitor.arrive(port);
        SseClient refused = SseClient.openFrom(port, visitor.cookie(), "https://evil.example");
        clients.add(refused);
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.contentType()).isEqualTo("application/problem+json");
        SseClient allowed = SseClient.openFrom(port, visitor.cookie(), "https://allowed.example");
        clients.add(allowed);
        assertThat(allowed.status()).isEqualTo(200);
    }

    @Test
    void aPostForAStreamOfAnotherNodeOnASingleNodeIsRefusedAsEnded() throws Exception {
        SseClient client = open();
        // A token of an earlier run of this server, say: there is no other node to forward it to.
        String elsewhere = "0123456789ab" + client.token.substring(client.token.indexOf('.'));
        HttpResponse<String> response = client.post(elsewhere, CONNECT.getBytes(), client.cookie(), client.csrf(), null);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).contains("it has ended; reconnect");
    }

    /** Each POST that must be refused, and why; the connection itself is unharmed by them. */
    static Stream<Arguments> refusedPosts() {
        return Stream.of(
                Arguments.of("a wrong token", (Refused) (c, other) -> c.post(c.token.substring(0, c.token.length() - 2) + "xx",
                        CONNECT.getBytes(), c.cookie(), c.csrf(), null)),
                Arguments.of("no token of this node", (Refused) (c, other) -> c.post("nonsense",
                        CONNECT.getBytes(), c.cookie(), c.csrf(), null)),
                Arguments.of("another origin", (Refused) (c, other) -> c.post(c.token,
                        CONNECT.getBytes(), c.cookie(), c.csrf(), "https://evil.example")),
                Arguments.of("no CSRF token", (Refused) (c, other) -> c.post(c.token,
                        CONNECT.getBytes(), c.cookie(), null, null)),
                Arguments.of("a wrong CSRF token", (Refused) (c, other) -> c.post(c.token,
                        CONNECT.getBytes(), c.cookie(), other.csrf(), null)),
                Arguments.of("another session", (Refused) (c, other) -> c.post(c.token,
                        CONNECT.getBytes(), other.cookie(), other.csrf(), null)),
                Arguments.of("no session", (Refused) (c, other) -> c.post(c.token,
                        CONNECT.getBytes(), null, c.csrf(), null)));
    }

    @FunctionalInterface
    interface Refused {
        HttpResponse<String> post(SseClient client, Visitor other) throws Exception;
    }

    @ParameterizedTest(name = "{0} → 403")
    @MethodSource("refusedPosts")
    void aPostIsRefusedWith403ProblemFor(String why, Refused refused) throws Exception {
        SseClient client = open();
        Visitor other = Visitor.arrive(port);
        HttpResponse<String> response = refused.post(client, other);
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        assertThat(response.body()).contains("\"status\":403");
        // the rightful client still connects
        assertThat(client.post(CONNECT).statusCode()).isEqualTo(204);
        client.next("CONNECTED");
    }
}
