package io.gifchat.messaging;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.client.ReactorNettyWebSocketClient;
import reactor.core.Disposable;
import reactor.core.publisher.Sinks;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;

/**
 * A deliberately dumb STOMP peer for protocol tests: sends raw bytes exactly as written (so tests can send
 * malformed, split or oversized frames) and hands back each received frame as text. Heart-beat EOLs are counted.
 */
public final class RawStompClient implements AutoCloseable {

    private final Sinks.Many<WebSocketMessage> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final AtomicInteger heartbeats = new AtomicInteger();
    private final CompletableFuture<String> protocol = new CompletableFuture<>();
    private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();
    private final StringBuilder pending = new StringBuilder();
    private volatile org.springframework.web.reactive.socket.WebSocketSession session;
    private Disposable connection;
    private volatile String connectedFrame;

    public static RawStompClient open(int port, HttpHeaders headers) {
        return open(port, headers, "v12.stomp", "v11.stomp", "v10.stomp");
    }

    public static RawStompClient open(int port, HttpHeaders headers, String... protocols) {
        RawStompClient client = new RawStompClient();
        var ws = new ReactorNettyWebSocketClient(HttpClient.create(ConnectionProvider.newConnection()),
                () -> WebsocketClientSpec.builder().protocols(String.join(",", protocols)).maxFramePayloadLength(1 << 20));
        client.connection = ws.execute(URI.create("ws://127.0.0.1:" + port + "/ws"), headers, session -> {
            client.session = session;
            client.protocol.complete(String.valueOf(session.getHandshakeInfo().getSubProtocol()));
            var in = session.receive().doOnNext(m -> client.received(m.getPayloadAsText(StandardCharsets.UTF_8))).then();
            session.closeStatus().subscribe(client.closed::complete);
            return session.send(client.outbound.asFlux().map(m -> m)).and(in);
        }).subscribe(null, error -> {
            client.protocol.completeExceptionally(error);
            client.closed.complete(CloseStatus.NO_STATUS_CODE);
        }, () -> client.closed.complete(CloseStatus.NO_STATUS_CODE));
        client.protocol.orTimeout(10, TimeUnit.SECONDS).join();
        return client;
    }

    public static RawStompClient connected(int port) {
        return connected(port, new HttpHeaders());
    }

    /** Connected with these handshake headers (e.g. a SESSION cookie); fails unless CONNECTED comes back. */
    public static RawStompClient connected(int port, HttpHeaders headers) {
        RawStompClient client = open(port, headers);
        client.send("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0");
        String connected = client.next();
        if (connected == null || !connected.startsWith("CONNECTED")) {
            throw new AssertionError("expected CONNECTED, got " + connected);
        }
        client.connectedFrame = connected;
        return client;
    }

    /** The CONNECTED frame, for clients made by {@link #connected}. */
    public String connectedFrame() {
        return connectedFrame;
    }

    public String protocol() {
        return protocol.join();
    }

    private synchronized void received(String text) {
        pending.append(text);
        int nul;
        while ((nul = pending.indexOf("\0")) >= 0) {
            String frame = pending.substring(0, nul);
            pending.delete(0, nul + 1);
            int start = 0;
            while (start < frame.length() && (frame.charAt(start) == '\n' || frame.charAt(start) == '\r')) {
                if (frame.charAt(start) == '\n') {
                    heartbeats.incrementAndGet();
                }
                start++;
            }
            frames.add(frame.substring(start));
        }
        // EOLs with no frame after them yet are heart-beats.
        while (pending.length() > 0 && (pending.charAt(0) == '\n' || pending.charAt(0) == '\r')) {
            if (pending.charAt(0) == '\n') {
                heartbeats.incrementAndGet();
            }
            pending.deleteCharAt(0);
        }
    }

    public void send(String raw) {
        sendText(raw);
    }

    public void sendText(String raw) {
        var s = session;
        outbound.tryEmitNext(s.textMessage(raw));
    }

    public void sendBinary(byte[] raw) {
        var s = session;
        outbound.tryEmitNext(s.binaryMessage(f -> f.wrap(raw)));
    }

    /** The next frame, or null after 10 s. */
    public String next() {
        return next(Duration.ofSeconds(10));
    }

    public String next(Duration timeout) {
        try {
            return frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public int heartbeats() {
        return heartbeats.get();
    }

    /** The close status once the socket closed, or null if still open after the timeout. */
    public CloseStatus awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            return null;
        }
    }

    public boolean isOpen() {
        return !closed.isDone();
    }

    @Override
    public void close() {
        outbound.tryEmitComplete();
        if (connection != null) {
            connection.dispose();
        }
    }
}
