package io.gifchat.messaging;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.messaging.converter.StringMessageConverter;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.MimeType;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.WebSocketClient;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

/**
 * The STOMP endpoint driven by a client nobody here wrote: Spring's {@link WebSocketStompClient} over Tomcat's
 * JSR-356 WebSocket client. Every connection also records the raw WebSocket messages both ways, so a failure shows
 * the frames that were on the wire, and so the tests can see what Spring's client hides (heart-beat EOLs, a MESSAGE
 * for a subscription it has already forgotten, a RECEIPT nobody waits for).
 *
 * <p>Spring's client offers no subprotocol by itself (its handler is not SubProtocolCapable and
 * StandardWebSocketClient only sends what the handshake headers say), so the handshake names the three STOMP
 * subprotocols explicitly, as stompjs does.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.stomp.open-destinations=/topic/test,/topic/other",
        "gifchat.stomp.heartbeat-send=1s",
        "gifchat.stomp.heartbeat-receive=1s"})
class SpringStompClientTest {

    static final Duration TIMEOUT = Duration.ofSeconds(10);
    static final List<String> SUBPROTOCOLS = List.of("v12.stomp", "v11.stomp", "v10.stomp");
    static final String TOPIC = "/topic/test";
    static final String NOT_OPEN = "/topic/not-open";
    static final long HEARTBEAT_MS = 1000;

    @LocalServerPort
    int port;

    ThreadPoolTaskScheduler scheduler;
    final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void startScheduler() {
        scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(2);
        scheduler.setThreadNamePrefix("stomp-client-heartbeat-");
        scheduler.setDaemon(true);
        scheduler.initialize();
    }

    @AfterEach
    void closeEverything() {
        for (Connection connection : connections) {
            connection.closeQuietly();
        }
        scheduler.shutdown();
    }

    URI endpoint() {
        return URI.create("ws://127.0.0.1:" + port + "/ws");
    }

    @Test
    void connectsOverStomp12AndConnectedCarriesTheAnonymousIdentity() throws Exception {
        Connection connection = connect();
        StompHeaders connected = connection.handler.connected.get();

        assertThat(connection.wire.session.getAcceptedProtocol()).as("selected subprotocol; %s", connection)
                .isEqualTo("v12.stomp");
        assertThat(connected.getFirst("version")).as("CONNECTED version; %s", connection).isEqualTo("1.2");
        assertThat(connected.getFirst("heart-beat")).as("CONNECTED heart-beat (server's 1s,1s); %s", connection)
                .isEqualTo("1000,1000");
        assertThat(connected.getFirst("server")).as("CONNECTED server; %s", connection).isNotBlank();
        assertThat(connected.getFirst("session")).as("CONNECTED session; %s", connection).isNotBlank();
        assertThat(connected.getFirst("user-id")).as("CONNECTED user-id; %s", connection).isNotBlank();
        assertThat(connected.getFirst("user-name")).as("CONNECTED user-name; %s", connection)
                .matches("[A-Z][a-z]+ [A-Z][a-z]+ \\d{1,2}");
        assertThat(connected.getFirst("user-color")).as("CONNECTED user-color; %s", connection)
                .matches("#[0-9a-f]{6}");
        assertThat(connection.session.isConnected()).isTrue();
    }

    @Test
    void sendReachesEverySubscriberIncludingTheSenderAndEveryFrameIsReceipted() throws Exception {
        Connection sender = connect();
        Connection other = connect();
        sender.session.setAutoReceipt(true);
        other.session.setAutoReceipt(true);

        Inbox senderInbox = new Inbox();
        Inbox otherInbox = new Inbox();
        CompletableFuture<StompHeaders> senderSubscribed = new CompletableFuture<>();
        CompletableFuture<StompHeaders> otherSubscribed = new CompletableFuture<>();
        StompSession.Subscription senderSubscription = sender.session.subscribe(TOPIC, senderInbox);
        senderSubscription.addReceiptTask(senderSubscribed::complete);
        StompSession.Subscription otherSubscription = other.session.subscribe(TOPIC, otherInbox);
        otherSubscription.addReceiptTask(otherSubscribed::complete);
        awaitReceipt(senderSubscribed, "SUBSCRIBE", sender);
        awaitReceipt(otherSubscribed, "SUBSCRIBE", other);

        String body = "hello from Spring \u2713 {\"x\":1}";
        CompletableFuture<StompHeaders> sent = new CompletableFuture<>();
        StompSession.Receiptable receiptable = sender.session.send(TOPIC, body);
        receiptable.addReceiptTask(sent::complete);
        StompHeaders receipt = awaitReceipt(sent, "SEND", sender);
        assertThat(receipt.getReceiptId()).isEqualTo(receiptable.getReceiptId());

        String sentContentType = sender.wire.outboundFrames().stream().filter(frame -> frame.command().equals("SEND"))
                .findFirst().orElseThrow().header("content-type");
        for (var pair : List.of(Map.entry(sender, senderInbox), Map.entry(other, otherInbox))) {
            Connection on = pair.getKey();
            Received message = pair.getValue().next(on, "the MESSAGE");
            assertThat(message.payload()).as("body; %s", on).isEqualTo(body);
            assertThat(message.headers().getContentType()).as("content-type; %s", on)
                    .isEqualTo(new MimeType("text", "plain", StandardCharsets.UTF_8));
            assertThat(message.headers().getDestination()).as("destination; %s", on).isEqualTo(TOPIC);
            assertThat(message.headers().getMessageId()).as("message-id; %s", on).isNotBlank();
            assertThat(message.headers().getSubscription()).as("subscription; %s", on)
                    .isEqualTo((on == sender ? senderSubscription : otherSubscription).getSubscriptionId());
            RawFrame raw = on.wire.inboundFramesFrom(0).stream().filter(frame -> frame.command().equals("MESSAGE"))
                    .findFirst().orElseThrow();
            assertThat(raw.header("content-type")).as("content-type byte for byte as sent (%s); %s",
                    sentContentType, on).isEqualTo(sentContentType);
        }
        // Exactly one copy each: the next thing either inbox gets is a later message, not a duplicate.
        publish(other, "fence");
        assertThat(senderInbox.next(sender, "'fence'").payload()).as("after the first copy; %s", sender)
                .isEqualTo("fence");
        assertThat(otherInbox.next(other, "'fence'").payload()).as("after the first copy; %s", other)
                .isEqualTo("fence");
        assertThat(sender.handler.problems()).as("%s", sender).isEmpty();
        assertThat(other.handler.problems()).as("%s", other).isEmpty();
    }

    @Test
    void heartBeatsKeepAnIdleConnectionAlive() throws Exception {
        Connection idle = connect();
        Inbox inbox = new Inbox();
        idle.session.setAutoReceipt(true);
        CompletableFuture<StompHeaders> subscribed = new CompletableFuture<>();
        idle.session.subscribe(TOPIC, inbox).addReceiptTask(subscribed::complete);
        awaitReceipt(subscribed, "SUBSCRIBE", idle);

        int eolsBefore = idle.wire.heartBeatsReceived();
        int sentBefore = idle.wire.heartBeatsSent();
        // Idle for more than 3 s: the server closes a client silent for 2 x 1 s, Spring's client gives up on a
        // server silent for 3 x 1 s. Only heart-beats can keep this connection alive.
        await().during(Duration.ofMillis(3500)).atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100))
                .until(() -> idle.session.isConnected() && idle.wire.session.isOpen() && idle.handler.problems().isEmpty());

        assertThat(idle.wire.heartBeatsReceived() - eolsBefore).as("server EOL heart-beats in 3.5 s; %s", idle)
                .isGreaterThanOrEqualTo(2);
        assertThat(idle.wire.heartBeatsSent() - sentBefore).as("client EOL heart-beats in 3.5 s; %s", idle)
                .isGreaterThanOrEqualTo(2);

        CompletableFuture<StompHeaders> sent = new CompletableFuture<>();
        idle.session.send(TOPIC, "still here").addReceiptTask(sent::complete);
        awaitReceipt(sent, "SEND after the idle period", idle);
        assertThat(inbox.next(idle, "the MESSAGE after the idle period").payload()).isEqualTo("still here");
    }

    @Test
    void aClientSilentForTwiceItsHeartBeatIntervalIsClosedByTheServer() throws Exception {
        // A raw client that promises a heart-beat every second and then sends nothing at all.
        BlockingQueue<String> inbound = new LinkedBlockingQueue<>();
        CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
        handshake.setSecWebSocketProtocol(SUBPROTOCOLS);
        WebSocketSession raw = new StandardWebSocketClient().execute(new TextWebSocketHandler() {
            @Override
            protected void handleTextMessage(WebSocketSession session, TextMessage message) {
                inbound.add(message.getPayload());
            }

            @Override
            public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
                closed.complete(status);
            }
        }, handshake, endpoint()).get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        try {
            raw.sendMessage(new TextMessage("CONNECT\naccept-version:1.2\nhost:127.0.0.1\nheart-beat:1000,0\n\n\0"));
            long connectSent = System.nanoTime();
            String first = inbound.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(first).as("first frame after CONNECT").isNotNull().startsWith("CONNECTED\n");

            CloseStatus status = closed.get(10, TimeUnit.SECONDS);
            long silentMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectSent);
            assertThat(silentMs).as("closed after %d ms of client silence (negotiated client interval 1 s, status %s)",
                    silentMs, status).isBetween(1500L, 8000L);
        } finally {
            if (raw.isOpen()) {
                raw.close();
            }
        }
    }

    @Test
    void unsubscribeStopsDeliveryToThatSubscriptionOnly() throws Exception {
        Connection subscriber = connect();
        Connection publisher = connect();
        subscriber.session.setAutoReceipt(true);
        publisher.session.setAutoReceipt(true);

        Inbox first = new Inbox();
        Inbox second = new Inbox();
        CompletableFuture<StompHeaders> firstSubscribed = new CompletableFuture<>();
        CompletableFuture<StompHeaders> secondSubscribed = new CompletableFuture<>();
        StompSession.Subscription firstSubscription = subscriber.session.subscribe(TOPIC, first);
        firstSubscription.addReceiptTask(firstSubscribed::complete);
        StompSession.Subscription secondSubscription = subscriber.session.subscribe(TOPIC, second);
        secondSubscription.addReceiptTask(secondSubscribed::complete);
        awaitReceipt(firstSubscribed, "first SUBSCRIBE", subscriber);
        awaitReceipt(secondSubscribed, "second SUBSCRIBE", subscriber);

        publish(publisher, "before unsubscribe");
        assertThat(first.next(subscriber, "'before unsubscribe' on the first subscription").payload())
                .isEqualTo("before unsubscribe");
        assertThat(second.next(subscriber, "'before unsubscribe' on the second subscription").payload())
                .isEqualTo("before unsubscribe");

        // Spring's Subscription.unsubscribe has no receipt of its own; ask for one in the headers and watch the wire.
        StompHeaders unsubscribe = new StompHeaders();
        unsubscribe.setReceipt("unsubscribe-first");
        firstSubscription.unsubscribe(unsubscribe);
        subscriber.wire.awaitFrame("RECEIPT for UNSUBSCRIBE",
                frame -> frame.command().equals("RECEIPT") && "unsubscribe-first".equals(frame.header("receipt-id")));
        int framesAfterUnsubscribe = subscriber.wire.inboundCount();

        publish(publisher, "after unsubscribe");
        assertThat(second.next(subscriber, "'after unsubscribe' on the second subscription").payload())
                .isEqualTo("after unsubscribe");
        // A fence on the same connection: once it arrived, a late copy for the first subscription would have too.
        publish(publisher, "fence");
        assertThat(second.next(subscriber, "'fence' on the second subscription").payload()).isEqualTo("fence");

        // Spring's client drops a MESSAGE for a subscription it forgot, so check the wire rather than the inbox.
        List<RawFrame> lateForFirst = subscriber.wire.inboundFramesFrom(framesAfterUnsubscribe).stream()
                .filter(frame -> frame.command().equals("MESSAGE")
                        && firstSubscription.getSubscriptionId().equals(frame.header("subscription")))
                .toList();
        assertThat(lateForFirst).as("MESSAGE frames for the unsubscribed subscription; %s", subscriber).isEmpty();
        assertThat(first.messages).as("first inbox after unsubscribe").isEmpty();
        assertThat(subscriber.handler.problems()).as("%s", subscriber).isEmpty();
    }

    @Test
    void disconnectIsReceiptedThenTheServerCloses() throws Exception {
        Connection polite = connect();
        Connection plain = connect();

        // DISCONNECT with a receipt, sent as raw text: Spring's disconnect() closes the socket without waiting.
        polite.wire.session.sendMessage(new TextMessage("DISCONNECT\nreceipt:bye-1\n\n\0"));
        polite.wire.awaitFrame("RECEIPT for DISCONNECT",
                frame -> frame.command().equals("RECEIPT") && "bye-1".equals(frame.header("receipt-id")));
        CloseStatus status = polite.wire.awaitClose("the server closing after the DISCONNECT receipt");
        assertThat(status).as("server closes after the DISCONNECT receipt; %s", polite).isNotNull();
        assertThat(polite.session.isConnected()).isFalse();

        // Spring's own disconnect() (DISCONNECT without receipt, then close) leaves the server serving the others.
        plain.session.disconnect();
        assertThat(plain.session.isConnected()).isFalse();
        plain.wire.awaitClose("the close after Spring's disconnect()");

        Connection after = connect();
        after.session.setAutoReceipt(true);
        Inbox inbox = new Inbox();
        CompletableFuture<StompHeaders> subscribed = new CompletableFuture<>();
        after.session.subscribe(TOPIC, inbox).addReceiptTask(subscribed::complete);
        awaitReceipt(subscribed, "SUBSCRIBE after others disconnected", after);
        publish(after, "after disconnects");
        assertThat(inbox.next(after, "MESSAGE after others disconnected").payload()).isEqualTo("after disconnects");
    }

    @Test
    void subscribingToADestinationThatIsNotOpenIsAnErrorThenClose() throws Exception {
        Connection intruder = connect();
        intruder.session.subscribe(NOT_OPEN, new Inbox());
        assertErrorThenClose(intruder, "SUBSCRIBE " + NOT_OPEN);
    }

    @Test
    void sendingToADestinationThatIsNotOpenIsAnErrorThenClose() throws Exception {
        Connection intruder = connect();
        intruder.session.send(NOT_OPEN, "let me in");
        assertErrorThenClose(intruder, "SEND " + NOT_OPEN);
    }

    private void assertErrorThenClose(Connection connection, String what) throws Exception {
        StompHeaders error = connection.handler.errors.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(error).as("ERROR frame after %s; %s", what, connection).isNotNull();
        assertThat(error.getFirst("message")).as("ERROR message header after %s; %s", what, connection)
                .isNotBlank()
                .satisfiesAnyOf(
                        message -> assertThat(message).containsIgnoringCase("not allowed"),
                        message -> assertThat(message).containsIgnoringCase("not authorized"));
        Throwable lost = connection.handler.transportErrors.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(lost).as("connection closed after the ERROR for %s; %s", what, connection).isNotNull();
        connection.wire.awaitClose("the close after the ERROR for " + what);
        assertThat(connection.session.isConnected()).isFalse();
    }

    // ---------------------------------------------------------------------------------------------------------

    private void publish(Connection connection, String body) throws Exception {
        CompletableFuture<StompHeaders> receipt = new CompletableFuture<>();
        StompHeaders headers = new StompHeaders();
        headers.setDestination(TOPIC);
        headers.setReceipt("send-" + body.replace(' ', '-'));
        connection.session.send(headers, body).addReceiptTask(receipt::complete);
        awaitReceipt(receipt, "SEND '" + body + "'", connection);
    }

    private static StompHeaders awaitReceipt(CompletableFuture<StompHeaders> receipt, String what, Connection on)
            throws Exception {
        try {
            return receipt.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return fail("no RECEIPT for %s within %s; %s", what, TIMEOUT, on);
        }
    }

    private Connection connect() throws Exception {
        Wire wire = new Wire();
        WebSocketStompClient client = new WebSocketStompClient(new RecordingClient(new StandardWebSocketClient(), wire));
        client.setMessageConverter(new StringMessageConverter());
        client.setTaskScheduler(scheduler);
        client.setDefaultHeartbeat(new long[] {HEARTBEAT_MS, HEARTBEAT_MS});
        client.setReceiptTimeLimit(TIMEOUT.toMillis());

        WebSocketHttpHeaders handshake = new WebSocketHttpHeaders();
        handshake.setSecWebSocketProtocol(SUBPROTOCOLS);
        SessionHandler handler = new SessionHandler();
        Connection connection = new Connection(wire, handler);
        connections.add(connection);
        try {
            connection.session = client.connectAsync(endpoint(), handshake, new StompHeaders(), handler)
                    .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("STOMP connect failed: " + e + "; " + connection, e);
        }
        return connection;
    }

    /** One STOMP connection: Spring's session, its handler's observations, the raw frames. */
    static final class Connection {
        final Wire wire;
        final SessionHandler handler;
        volatile StompSession session;

        Connection(Wire wire, SessionHandler handler) {
            this.wire = wire;
            this.handler = handler;
        }

        void closeQuietly() {
            try {
                if (session != null && session.isConnected()) {
                    session.disconnect();
                }
                if (wire.session != null && wire.session.isOpen()) {
                    wire.session.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }

        @Override
        public String toString() {
            return "problems " + handler.problems() + ", frames on the wire:\n" + wire.transcript();
        }
    }

    static final class SessionHandler extends StompSessionHandlerAdapter {
        final CompletableFuture<StompHeaders> connected = new CompletableFuture<>();
        final BlockingQueue<StompHeaders> errors = new LinkedBlockingQueue<>();
        final BlockingQueue<Throwable> transportErrors = new LinkedBlockingQueue<>();
        final List<String> exceptions = new CopyOnWriteArrayList<>();

        @Override
        public void afterConnected(StompSession session, StompHeaders headers) {
            connected.complete(headers);
        }

        @Override
        public java.lang.reflect.Type getPayloadType(StompHeaders headers) {
            return String.class;
        }

        /** Only ERROR frames reach the session handler. */
        @Override
        public void handleFrame(StompHeaders headers, Object payload) {
            errors.add(headers);
        }

        @Override
        public void handleException(StompSession session, StompCommand command, StompHeaders headers, byte[] payload,
                Throwable exception) {
            if (command == StompCommand.ERROR) {
                errors.add(headers);
            } else {
                exceptions.add(command + " " + headers + ": " + exception);
            }
        }

        @Override
        public void handleTransportError(StompSession session, Throwable exception) {
            transportErrors.add(exception);
            connected.completeExceptionally(exception);
        }

        List<String> problems() {
            List<String> all = new ArrayList<>(exceptions);
            errors.forEach(error -> all.add("ERROR " + error));
            transportErrors.forEach(error -> all.add("transport: " + error));
            return all;
        }
    }

    record Received(StompHeaders headers, String payload) {
    }

    static final class Inbox implements StompFrameHandler {
        final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();

        @Override
        public java.lang.reflect.Type getPayloadType(StompHeaders headers) {
            return String.class;
        }

        @Override
        public void handleFrame(StompHeaders headers, Object payload) {
            messages.add(new Received(headers, (String) payload));
        }

        Received next(Connection on, String what) throws InterruptedException {
            Received received = messages.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (received == null) {
                fail("no %s within %s; %s", what, TIMEOUT, on);
            }
            return received;
        }
    }

    /** A STOMP frame as it came over the wire, parsed just enough to look at command and headers. */
    record RawFrame(String command, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name);
        }

        static List<RawFrame> parse(String payload) {
            List<RawFrame> frames = new ArrayList<>();
            for (String chunk : payload.split("\0", -1)) {
                String text = chunk.replaceFirst("^[\r\n]+", "");
                if (text.isEmpty()) {
                    continue;
                }
                int end = text.indexOf("\n\n");
                String head = end < 0 ? text : text.substring(0, end);
                String body = end < 0 ? "" : text.substring(end + 2);
                String[] lines = head.split("\r?\n");
                Map<String, String> headers = new LinkedHashMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon > 0) {
                        headers.putIfAbsent(lines[i].substring(0, colon), lines[i].substring(colon + 1));
                    }
                }
                frames.add(new RawFrame(lines[0].trim(), headers, body));
            }
            return frames;
        }
    }

    /** The raw WebSocket traffic of one connection; sends are serialized (Tomcat's endpoint forbids overlap). */
    static final class Wire {
        final List<String> inbound = new CopyOnWriteArrayList<>();
        final List<String> outbound = new CopyOnWriteArrayList<>();
        final List<String> transcript = new CopyOnWriteArrayList<>();
        final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
        volatile WebSocketSession session;
        private final long start = System.nanoTime();

        void received(WebSocketMessage<?> message) {
            String text = text(message);
            inbound.add(text);
            log("<<< ", text);
        }

        void sent(WebSocketMessage<?> message) {
            String text = text(message);
            outbound.add(text);
            log(">>> ", text);
        }

        void log(String direction, String text) {
            long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            transcript.add("+" + ms + "ms " + direction + text.replace("\0", "^@").replace("\r", "\\r")
                    .replace("\n", "\\n"));
        }

        static String text(WebSocketMessage<?> message) {
            if (message instanceof BinaryMessage binary) {
                var buffer = binary.getPayload().duplicate();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            return String.valueOf(message.getPayload());
        }

        static boolean isHeartBeat(String text) {
            return !text.isEmpty() && text.chars().allMatch(c -> c == '\n' || c == '\r');
        }

        int heartBeatsReceived() {
            return (int) inbound.stream().filter(Wire::isHeartBeat).count();
        }

        int heartBeatsSent() {
            return (int) outbound.stream().filter(Wire::isHeartBeat).count();
        }

        List<RawFrame> outboundFrames() {
            return outbound.stream().flatMap(text -> RawFrame.parse(text).stream()).toList();
        }

        /** The close as seen after Spring's STOMP session has processed it too. */
        CloseStatus awaitClose(String what) throws Exception {
            try {
                return closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                return fail("no %s within %s; frames on the wire:%n%s", what, TIMEOUT, transcript());
            }
        }

        int inboundCount() {
            return inbound.size();
        }

        List<RawFrame> inboundFramesFrom(int index) {
            return inbound.subList(index, inbound.size()).stream().flatMap(text -> RawFrame.parse(text).stream())
                    .toList();
        }

        void awaitFrame(String what, java.util.function.Predicate<RawFrame> matches) {
            try {
                await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                        .until(() -> inboundFramesFrom(0).stream().anyMatch(matches));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                fail("no %s within %s; frames on the wire:%n%s", what, TIMEOUT, transcript());
            }
        }

        String transcript() {
            return transcript.stream().collect(Collectors.joining("\n"));
        }
    }

    /** Hands Spring's STOMP handler a session whose traffic is recorded in a {@link Wire}. */
    static final class RecordingClient implements WebSocketClient {
        private final WebSocketClient delegate;
        private final Wire wire;

        RecordingClient(WebSocketClient delegate, Wire wire) {
            this.delegate = delegate;
            this.wire = wire;
        }

        @Override
        public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, String uriTemplate,
                Object... uriVariables) {
            throw new UnsupportedOperationException("WebSocketStompClient uses the URI variant");
        }

        @Override
        public CompletableFuture<WebSocketSession> execute(WebSocketHandler handler, WebSocketHttpHeaders headers,
                URI uri) {
            return delegate.execute(new WebSocketHandlerDecorator(handler) {
                @Override
                public void afterConnectionEstablished(WebSocketSession session) throws Exception {
                    WebSocketSession recorded = new WebSocketSessionDecorator(session) {
                        @Override
                        public synchronized void sendMessage(WebSocketMessage<?> message) throws IOException {
                            wire.sent(message);
                            super.sendMessage(message);
                        }
                    };
                    wire.session = recorded;
                    super.afterConnectionEstablished(recorded);
                }

                @Override
                public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
                    wire.received(message);
                    super.handleMessage(wire.session, message);
                }

                @Override
                public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
                    wire.log("--- ", "closed " + status);
                    try {
                        super.afterConnectionClosed(wire.session, status);
                    } finally {
                        wire.closed.complete(status);
                    }
                }
            }, headers, uri);
        }
    }
}
