package io.gifchat.messaging;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gifchat.broker.Broker;
import io.gifchat.domain.Refusal;
import io.gifchat.broker.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.event.EventListener;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import reactor.core.publisher.Mono;

import static io.gifchat.messaging.StompProtocolTest.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The endpoint as the application and browsers see it: origins, identities, limits, hooks, events, user queues. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.stomp.open-destinations=/topic/t",
        "gifchat.stomp.allowed-origins=https://allowed.example",
        "gifchat.stomp.max-connections-per-identity=3"})
@AutoConfigureWebTestClient
class StompEndpointTest {

    @TestConfiguration
    static class Hooks {

        final List<String> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(ConnectionEvents.Opened e) {
            record("connected " + e.connection().identity().name());
        }

        @EventListener
        void on(ConnectionEvents.Subscribed e) {
            record("subscribed " + e.connection().identity().name() + " " + e.subscription().destination());
        }

        @EventListener
        void on(ConnectionEvents.Unsubscribed e) {
            record("unsubscribed " + e.connection().identity().name() + " " + e.subscription().destination());
        }

        @EventListener
        void on(ConnectionEvents.Closed e) {
            record("disconnected " + e.connection().identity().name());
        }

        void record(String event) {
            events.add(event);
        }

        /** Members-only pub/sub, like a room's typing signals: only identities named "Vip …" may use it. */
        @Bean
        DestinationPolicy vipOnly() {
            return new DestinationPolicy() {
                @Override
                public boolean covers(String destination) {
                    return destination.equals("/topic/vip");
                }

                @Override
                public Mono<Void> authorizeSubscribe(Connection connection, String destination) {
                    return connection.identity().name().startsWith("Vip") ? Mono.empty()
                            : Mono.error(Refusal.of(Refusal.Reason.NOT_ALLOWED, "members only"));
                }
            };
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    WebTestClient web;

    @Autowired
    Broker broker;

    @Autowired
    Hooks hooks;

    @Autowired
    Connections connections;

    final List<RawStompClient> clients = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeClients() {
        clients.forEach(RawStompClient::close);
    }

    RawStompClient open(HttpHeaders headers) {
        RawStompClient client = RawStompClient.open(port, headers);
        clients.add(client);
        return client;
    }

    String connect(RawStompClient client) {
        client.send(StompProtocolTest.CONNECT);
        return client.next();
    }

    static HttpHeaders origin(String origin) {
        HttpHeaders headers = new HttpHeaders();
        headers.setOrigin(origin);
        return headers;
    }

    /** A browser session: the SESSION cookie and the nickname the page showed. */
    record Browser(String cookie, String nickname) {
        HttpHeaders headers() {
            HttpHeaders headers = new HttpHeaders();
            headers.add(HttpHeaders.COOKIE, "SESSION=" + cookie);
            return headers;
        }
    }

    Browser browser() {
        var page = web.get().uri("/").exchange().expectBody(String.class).returnResult();
        var m = java.util.regex.Pattern.compile("class=\"nickname\"[^>]*data-color=\"#[0-9a-f]{6}\"[^>]*>([^<]+)<")
                .matcher(page.getResponseBody());
        assertThat(m.find()).isTrue();
        return new Browser(page.getResponseCookies().getFirst("SESSION").getValue(), m.group(1));
    }

    @Test
    void handshakeFromAForeignOriginIsRefusedWith403() {
        assertThatThrownBy(() -> open(origin("https://evil.example")))
                .hasRootCauseInstanceOf(WebSocketClientHandshakeException.class)
                .rootCause().hasMessageContaining("403");
    }

    @Test
    void handshakeFromTheSameHostOnAnotherPortOrSchemeIsRefused() {
        for (String other : List.of("http://127.0.0.1:" + (port + 1), "https://127.0.0.1:" + port, "null", "::bad")) {
            assertThatThrownBy(() -> open(origin(other))).as(other)
                    .hasRootCauseInstanceOf(WebSocketClientHandshakeException.class)
                    .rootCause().hasMessageContaining("403");
        }
    }

    @Test
    void aPlainRequestToTheEndpointGetsA400Problem() {
        web.get().uri("/ws").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType("application/problem+json")
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.detail").isEqualTo("This endpoint only accepts WebSocket upgrades.");
    }

    @Test
    void aClientOfferingNoStompSubprotocolIsUpgradedWithoutOneAndStillSpeaksStomp() throws Exception {
        try (StalledSocket client = new StalledSocket(port, "chat.example")) {
            client.send("CONNECT\naccept-version:1.2\nheart-beat:0,0\n\n\0");

            assertThat(client.readUntil("\n\n")).contains("CONNECTED");
        }
    }

    /** The status line the server answers a hand-written upgrade request with. */
    String handshakeStatus(String host, String headers) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(("GET /ws HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n" + headers + "\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    java.nio.charset.StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void anUpgradeWithoutAWebSocketKeyGetsA400InsteadOfADroppedConnection() throws Exception {
        assertThat(handshakeStatus("127.0.0.1:" + port, "")).startsWith("HTTP/1.1 400");
    }

    @Test
    void theSameOriginIsRecognisedForHostNamesWithUnderscores() throws Exception {
        String key = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Protocol: v12.stomp\r\n";

        assertThat(handshakeStatus("gif_chat:" + port, key + "Origin: http://gif_chat:" + port + "\r\n"))
                .startsWith("HTTP/1.1 101");
        assertThat(handshakeStatus("gif_chat:" + port, key + "Origin: http://other_chat:" + port + "\r\n"))
                .startsWith("HTTP/1.1 403");
    }

    @Test
    void aStaleSessionCookieBesideTheLiveOneDoesNotCostTheIdentity() {
        Browser browser = browser();
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.COOKIE, "SESSION=stale-session; SESSION=" + browser.cookie());

        assertThat(header(connect(open(headers)), "user-name")).isEqualTo(browser.nickname());
    }

    @Test
    void anUnknownSessionCookieGetsAFreshIdentity() {
        HttpHeaders headers = new HttpHeaders();
        headers.add(HttpHeaders.COOKIE, "SESSION=no-such-session");

        assertThat(header(connect(open(headers)), "user-id")).isNotBlank();
    }

    @Test
    void handshakeFromTheSameOriginAnAllowedOriginOrNoOriginIsAccepted() {
        assertThat(connect(open(origin("http://127.0.0.1:" + port)))).startsWith("CONNECTED");
        assertThat(connect(open(origin("https://allowed.example")))).startsWith("CONNECTED");
        assertThat(connect(open(new HttpHeaders()))).startsWith("CONNECTED");
    }

    @Test
    void theConnectionBelongsToTheIdentityOfTheSessionCookie() {
        Browser browser = browser();

        String connected = connect(open(browser.headers()));

        assertThat(header(connected, "user-name")).isEqualTo(browser.nickname());
    }

    @Test
    void withoutACookieEachConnectionGetsAFreshIdentity() {
        String one = header(connect(open(new HttpHeaders())), "user-id");
        String two = header(connect(open(new HttpHeaders())), "user-id");

        assertThat(one).isNotEqualTo(two);
    }

    @Test
    void oneIdentityMayHoldOnlyTheConfiguredNumberOfConnections() {
        Browser browser = browser();
        for (int i = 0; i < 3; i++) {
            assertThat(connect(open(browser.headers()))).startsWith("CONNECTED");
        }

        RawStompClient fourth = open(browser.headers());
        String error = connect(fourth);

        assertThat(header(error, "message")).isEqualTo("too many connections");
        assertThat(fourth.awaitClose(Duration.ofSeconds(5))).isNotNull();
        assertThat(connect(open(new HttpHeaders()))).as("others unaffected").startsWith("CONNECTED");
    }

    @Test
    void userQueuesReachEveryTabOfOneIdentityAndNobodyElse() {
        Browser browser = browser();
        RawStompClient tab1 = open(browser.headers());
        RawStompClient tab2 = open(browser.headers());
        RawStompClient stranger = open(new HttpHeaders());
        String userId = null;
        for (RawStompClient c : List.of(tab1, tab2, stranger)) {
            String connected = connect(c);
            if (c != stranger) {
                userId = header(connected, "user-id");
            }
            c.send("SUBSCRIBE\nid:q\ndestination:/user/queue/whisper\nreceipt:r\n\n\0");
            assertThat(c.next()).startsWith("RECEIPT");
        }

        int delivered = broker.sendToUser(userId, "/queue/whisper", "application/json", "{\"chat\":\"psst\"}".getBytes());

        assertThat(delivered).isEqualTo(2);
        for (RawStompClient tab : List.of(tab1, tab2)) {
            String message = tab.next();
            assertThat(header(message, "destination")).isEqualTo("/user/queue/whisper");
            assertThat(message).endsWith("\n\n{\"chat\":\"psst\"}");
        }
        assertThat(stranger.next(Duration.ofMillis(300))).isNull();
    }

    @Test
    void theAuthorizationHookDecidesWhoMaySubscribe() {
        RawStompClient client = open(new HttpHeaders());
        connect(client);
        client.send("SUBSCRIBE\nid:1\ndestination:/topic/vip\n\n\0");

        assertThat(header(client.next(), "message")).isEqualTo("members only");
        assertThat(client.awaitClose(Duration.ofSeconds(5))).isNotNull();
    }

    @Test
    void lifecycleEventsArriveInOrderAndDisconnectIsReportedOnce() {
        RawStompClient client = open(new HttpHeaders());
        String name = header(connect(client), "user-name");
        client.send("SUBSCRIBE\nid:1\ndestination:/topic/t\n\n\0SUBSCRIBE\nid:2\ndestination:/user/queue/notice\n\n\0"
                + "UNSUBSCRIBE\nid:1\n\n\0DISCONNECT\nreceipt:bye\n\n\0");
        assertThat(client.next()).startsWith("RECEIPT");
        assertThat(client.awaitClose(Duration.ofSeconds(5))).isNotNull();

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(hooks.events.stream().filter(e -> e.contains(name)).toList()).containsExactly(
                        "connected " + name,
                        "subscribed " + name + " /topic/t",
                        "subscribed " + name + " /user/queue/notice",
                        "unsubscribed " + name + " /topic/t",
                        "unsubscribed " + name + " /user/queue/notice",
                        "disconnected " + name));
    }

    @Test
    void aClosedConnectionLeavesNoSubscriptionsBehind() {
        RawStompClient client = open(new HttpHeaders());
        connect(client);
        int before = broker.subscriberCount("/topic/t");
        client.send("SUBSCRIBE\nid:1\ndestination:/topic/t\nreceipt:r\n\n\0");
        assertThat(client.next()).startsWith("RECEIPT");
        assertThat(broker.subscriberCount("/topic/t")).isEqualTo(before + 1);

        client.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> broker.subscriberCount("/topic/t") == before);
    }

    @Test
    void oneBadClientDoesNotDisturbTheOthers() {
        RawStompClient good = open(new HttpHeaders());
        connect(good);
        good.send("SUBSCRIBE\nid:1\ndestination:/topic/t\nreceipt:r\n\n\0");
        assertThat(good.next()).startsWith("RECEIPT");

        RawStompClient bad = open(new HttpHeaders());
        connect(bad);
        bad.send("GARBAGE\n\n\0");
        assertThat(bad.next()).startsWith("ERROR");

        RawStompClient sender = open(new HttpHeaders());
        connect(sender);
        sender.send("SEND\ndestination:/topic/t\n\nstill here\0");
        assertThat(good.next()).endsWith("\n\nstill here");
        assertThat(good.isOpen()).isTrue();
    }
}
