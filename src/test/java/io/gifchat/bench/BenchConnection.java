package io.gifchat.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * One benchmark WebSocket connection: a subscriber (STOMP CONNECT, then SUBSCRIBE with a receipt; for the raw
 * server nothing is sent and the server's RECEIPT says it is registered) or the publisher (STOMP CONNECT only;
 * X-Bench-Role: publisher for the raw server). Inbound bytes go through {@link StompStreamParser}; MESSAGE
 * bodies carry a sequence number, the send time and a warmup/measure flag, and the latency of measured ones is
 * recorded in this connection's histogram on its event loop, without allocation.
 *
 * <p>Body layout (ASCII): 12-digit sequence, ' ', 19-digit send time in ns since {@link #BASE_NANOS}, ' ',
 * 'W' (warmup) or 'M' (measured), then the origin ('x' for the only publisher, 'A' or 'B' for the cluster's
 * publisher on node a or b) and 'x' padding to the payload size. Sequence order and latency are kept per origin:
 * two publishers' messages interleave.
 *
 * <p>A subscriber may use the fallback carrier instead ({@link #connectEventStream}): its server frames arrive as
 * Server-Sent Events on {@code GET /stomp/sse} ({@link EventStreamParser}), whose STOMP bytes go through the same
 * parser and the same MESSAGE handling, and its CONNECT and SUBSCRIBE are POSTed to {@code /stomp/sse/{token}}, one
 * at a time as the page does. The diagnostics' WebSocket frame counts then count events (text: plain events,
 * binary: base64 events).
 */
final class BenchConnection {

    static final long BASE_NANOS = System.nanoTime();
    static final int MIN_BODY = 34;
    /** Body offset of the origin byte (the first padding byte: a body of MIN_BODY bytes has none, origin 0). */
    static final int ORIGIN_AT = 34;
    /** Origins a subscriber tells apart: 0 (the only publisher, or node a's) and 1 (node b's). */
    static final int ORIGINS = 2;
    static final String DESTINATION = RawBroadcastServer.DESTINATION;

    /** Counters shared by all subscribers of one run, read by the main thread while it waits. */
    static final class Totals {
        final LongAdder measuredReceived = new LongAdder();
        final LongAdder received = new LongAdder();
    }

    final int index;
    final boolean stomp;
    final boolean publisher;
    final CompletableFuture<Void> ready = new CompletableFuture<>();
    private final Totals totals;
    private final boolean recordLatency;
    /** Latency by origin; origin 1's is made at its first message, so single-publisher runs pay for one only. */
    private final LatencyHistogram[] histograms = new LatencyHistogram[ORIGINS];
    private final StompStreamParser parser = new StompStreamParser(this::onStompFrame);
    private final Sinks.Many<WebSocketFrame> outbound = Sinks.many().unicast().onBackpressureBuffer();

    volatile Connection connection;
    private volatile Disposable subscription;
    volatile boolean closing;
    volatile String closeStatus;
    volatile boolean closed;
    volatile Map<String, String> connectedHeaders;
    volatile String lastError;
    volatile String sampleMessage;

    // the fallback carrier only; set before the stream is opened
    private BenchVisitors.Visitor visitor;
    private java.net.http.HttpClient upstreamHttp;
    private int port;
    private EventStreamParser events;
    /** The last POST of the connection: the next one is sent once it is answered (one at a time, in order). */
    private CompletableFuture<Void> upstream = CompletableFuture.completedFuture(null);
    volatile String token;

    // written on the event loop only; read after a snapshot on it, or at the end (diagnostics)
    long messages;
    long measured;
    long messageBytes;
    long wsFrames;
    long textFrames;
    long binaryFrames;
    long errors;
    long otherFrames;
    long badBodies;
    long outOfOrder;
    long gaps;
    private final long[] lastSeq = {-1, -1};

    BenchConnection(int index, boolean stomp, boolean publisher, boolean recordLatency, Totals totals) {
        this.index = index;
        this.stomp = stomp;
        this.publisher = publisher;
        this.totals = totals;
        this.recordLatency = recordLatency;
        if (recordLatency) {
            histograms[0] = new LatencyHistogram();
        }
    }

    static HttpClient client(int port, boolean publisher) {
        HttpClient c = HttpClient.newConnection()
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
        if (publisher) {
            c = c.headers(h -> h.add("X-Bench-Role", "publisher"));
        }
        return c;
    }

    void connect(HttpClient client, int port) {
        subscription = client.websocket(WebsocketClientSpec.builder().protocols("v12.stomp").maxFramePayloadLength(1 << 20).build())
                .uri("ws://127.0.0.1:" + port + "/ws")
                .handle((in, out) -> {
                    in.withConnection(c -> connection = c);
                    in.receiveCloseStatus().subscribe(s -> closeStatus = s.code() + " " + s.reasonText());
                    if (stomp) {
                        send("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0");
                    } else if (publisher) {
                        ready.complete(null);
                    }
                    Mono<Void> inbound = in.receiveFrames()
                            .doOnNext(this::onWebSocketFrame)
                            .doFinally(s -> {
                                closed = true;
                                outbound.tryEmitComplete();
                                if (!ready.isDone()) {
                                    ready.completeExceptionally(new IllegalStateException(
                                            "closed before ready" + (closeStatus == null ? "" : ": " + closeStatus)
                                                    + (lastError == null ? "" : ": " + lastError)));
                                }
                            })
                            .then();
                    return Mono.when(out.sendObject(outbound.asFlux()).then(), inbound);
                })
                .subscribe(null, e -> {
                    closed = true;
                    ready.completeExceptionally(e);
                });
    }

    /**
     * Subscribes over the fallback carrier: {@code GET /stomp/sse} with the visitor's session cookie on its own
     * connection, the body read as it arrives on the connection's event loop; CONNECT once the token event is read,
     * SUBSCRIBE once CONNECTED is, both POSTed with {@code upstreamHttp}. Heart-beats 0,0 as over a WebSocket.
     */
    void connectEventStream(HttpClient client, int port, BenchVisitors.Visitor visitor,
                            java.net.http.HttpClient upstreamHttp) {
        this.visitor = visitor;
        this.upstreamHttp = upstreamHttp;
        this.port = port;
        this.events = new EventStreamParser(this::onEvent);
        subscription = client.headers(h -> h.set(HttpHeaderNames.COOKIE, "SESSION=" + visitor.session())
                        .set(HttpHeaderNames.ACCEPT, "text/event-stream"))
                .get()
                .uri("http://127.0.0.1:" + port + "/stomp/sse")
                .responseConnection((response, c) -> {
                    connection = c;
                    if (response.status().code() != 200) {
                        closeStatus = "HTTP " + response.status().code();
                        return Mono.error(new IllegalStateException("GET /stomp/sse answered " + response.status()));
                    }
                    return c.inbound().receive().doOnNext(this::onEventStreamBytes).then();
                })
                .doFinally(s -> {
                    closed = true;
                    if (closeStatus == null && !closing) {
                        closeStatus = "stream ended";
                    }
                    if (!ready.isDone()) {
                        ready.completeExceptionally(new IllegalStateException("stream ended before ready"
                                + (closeStatus == null ? "" : ": " + closeStatus)
                                + (lastError == null ? "" : ": " + lastError)));
                    }
                })
                .subscribe(null, e -> {
                    closed = true;
                    if (lastError == null) {
                        lastError = String.valueOf(e);
                    }
                    ready.completeExceptionally(e);
                });
    }

    /**
     * Queues a STOMP frame: a text frame on the WebSocket, or a POST over the fallback carrier; call from one thread
     * at a time (the event loop, or the publisher's pacer).
     */
    boolean send(String frame) {
        if (visitor != null) {
            post(frame);
            return true;
        }
        return sendFrame(new TextWebSocketFrame(frame));
    }

    /** POSTs {@code frames} once the previous POST is answered; a failed one ends the chain and fails readiness. */
    private synchronized void post(String frames) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stomp/sse/" + token))
                .timeout(Duration.ofSeconds(30))
                .header("Cookie", "SESSION=" + visitor.session())
                .header("X-CSRF-TOKEN", visitor.csrf())
                .header("Content-Type", "text/plain;charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(frames, StandardCharsets.UTF_8))
                .build();
        String command = frames.substring(0, frames.indexOf('\n'));
        upstream = upstream.thenCompose(v -> upstreamHttp.sendAsync(request, HttpResponse.BodyHandlers.ofString()))
                .thenAccept(response -> {
                    if (response.statusCode() != 204) {
                        throw new IllegalStateException("POST of " + command + " answered " + response.statusCode()
                                + " " + response.body());
                    }
                });
        upstream.whenComplete((v, e) -> {
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause() : e;
                if (lastError == null) {
                    lastError = String.valueOf(cause);
                }
                ready.completeExceptionally(cause);
            }
        });
    }

    boolean sendFrame(WebSocketFrame frame) {
        if (outbound.tryEmitNext(frame).isFailure()) {
            frame.release();
            return false;
        }
        return true;
    }

    boolean sendBytes(byte[] frame) {
        return sendFrame(new TextWebSocketFrame(Unpooled.wrappedBuffer(frame)));
    }

    /** Cancels the handler: Reactor Netty sends a close frame and closes the channel. */
    void close() {
        closing = true;
        Disposable d = subscription;
        if (d != null) {
            d.dispose();
        }
    }

    /**
     * This connection's histograms by origin, copied on its event loop (an origin never heard from: null); null if
     * it records none or never connected.
     */
    LatencyHistogram[] snapshotByOrigin() throws Exception {
        Connection c = connection;
        if (!recordLatency || c == null) {
            return null;
        }
        try {
            return c.channel().eventLoop().submit(this::copies).get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (IllegalStateException | java.util.concurrent.RejectedExecutionException e) {
            return copies(); // channel gone from its loop: nothing records any more
        }
    }

    private LatencyHistogram[] copies() {
        LatencyHistogram[] out = new LatencyHistogram[ORIGINS];
        for (int i = 0; i < ORIGINS; i++) {
            out[i] = histograms[i] == null ? null : histograms[i].copy();
        }
        return out;
    }

    private void onWebSocketFrame(WebSocketFrame frame) {
        wsFrames++;
        if (frame instanceof TextWebSocketFrame) {
            textFrames++;
        } else if (frame instanceof BinaryWebSocketFrame) {
            binaryFrames++;
        } else if (!(frame instanceof ContinuationWebSocketFrame)) {
            return; // ping/pong
        }
        parser.feed(frame.content());
        if (parser.failure() != null && lastError == null) {
            lastError = "unparseable stream: " + parser.failure();
        }
    }

    private void onEventStreamBytes(ByteBuf content) {
        events.feed(content);
        if (events.failure() != null && lastError == null) {
            lastError = "unparseable event stream: " + events.failure();
        }
    }

    /** One event of the fallback carrier's stream: the token, or the bytes a WebSocket message would have carried. */
    private void onEvent(String type, byte[] data, int length) {
        if (type == null) {
            wsFrames++;
            textFrames++;
            parser.feed(data, 0, length);
        } else if (type.equals("base64")) {
            wsFrames++;
            binaryFrames++;
            byte[] bytes = Base64.getDecoder().decode(Arrays.copyOf(data, length));
            parser.feed(bytes, 0, bytes.length);
        } else if (type.equals("token") && token == null) {
            token = new String(data, 0, length, StandardCharsets.US_ASCII);
            send("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\n\n\0");
            return;
        } else {
            otherFrames++;
            return;
        }
        if (parser.failure() != null && lastError == null) {
            lastError = "unparseable stream: " + parser.failure();
        }
    }

    private void onStompFrame(StompStreamParser.Command command, StompStreamParser frame) {
        switch (command) {
            case MESSAGE -> onMessage(frame);
            case RECEIPT -> {
                if ("sub-0".equals(frame.header("receipt-id"))) {
                    ready.complete(null);
                } else {
                    otherFrames++;
                }
            }
            case CONNECTED -> {
                if (index == 0) {
                    connectedHeaders = frame.headers();
                }
                if (publisher) {
                    ready.complete(null);
                } else {
                    send("SUBSCRIBE\nid:0\ndestination:" + DESTINATION + "\nreceipt:sub-0\n\n\0");
                }
            }
            case ERROR -> {
                errors++;
                String msg = frame.header("message");
                String body = frame.body();
                lastError = "ERROR " + (msg == null ? "" : msg) + (body.isEmpty() ? "" : " / "
                        + (body.length() > 200 ? body.substring(0, 200) + "..." : body));
                if (!ready.isDone()) {
                    ready.completeExceptionally(new IllegalStateException(lastError));
                }
            }
            default -> otherFrames++;
        }
    }

    private void onMessage(StompStreamParser frame) {
        long now = System.nanoTime();
        messages++;
        messageBytes += frame.frameBytes();
        if (index == 0 && sampleMessage == null) {
            sampleMessage = frame.frameText().replace("\n", "\\n");
        }
        totals.received.increment();
        if (frame.bodyLength() < MIN_BODY) {
            badBodies++;
            return;
        }
        long seq = frame.bodyDigits(0, 12);
        long sent = frame.bodyDigits(13, 19);
        if (seq < 0 || sent < 0) {
            badBodies++;
            return;
        }
        int origin = frame.bodyLength() > ORIGIN_AT && frame.bodyByte(ORIGIN_AT) == 'B' ? 1 : 0;
        long last = lastSeq[origin];
        if (last >= 0) {
            if (seq <= last) {
                outOfOrder++;
            } else if (seq > last + 1) {
                gaps += seq - last - 1;
            }
        }
        lastSeq[origin] = Math.max(last, seq);
        if (frame.bodyByte(33) == 'M') {
            measured++;
            totals.measuredReceived.increment();
            if (recordLatency) {
                LatencyHistogram h = histograms[origin];
                if (h == null) {
                    h = histograms[origin] = new LatencyHistogram();
                }
                h.record(now - (BASE_NANOS + sent));
            }
        }
    }

    /** The SEND frame the publisher writes for message {@code seq}, body padded to {@code payload} bytes. */
    static byte[] sendFrame(byte[] head, int payload, long seq, long sentNanos, boolean measured) {
        return sendFrame(head, payload, seq, sentNanos, measured, (byte) 'x');
    }

    /** The same with an origin byte ('x', 'A' or 'B'; see the class comment). */
    static byte[] sendFrame(byte[] head, int payload, long seq, long sentNanos, boolean measured, byte origin) {
        byte[] f = new byte[head.length + payload + 1];
        System.arraycopy(head, 0, f, 0, head.length);
        int b = head.length;
        digits(f, b, 12, seq);
        f[b + 12] = ' ';
        digits(f, b + 13, 19, sentNanos - BASE_NANOS);
        f[b + 32] = ' ';
        f[b + 33] = (byte) (measured ? 'M' : 'W');
        for (int i = b + 34; i < b + payload; i++) {
            f[i] = 'x';
        }
        if (payload > ORIGIN_AT) {
            f[b + ORIGIN_AT] = origin;
        }
        f[f.length - 1] = 0;
        return f;
    }

    static byte[] sendHead(int payload) {
        return StompStreamParser.ascii("SEND\ndestination:" + DESTINATION
                + "\ncontent-type:text/plain\ncontent-length:" + payload + "\n\n");
    }

    private static void digits(byte[] into, int at, int n, long value) {
        for (int i = at + n - 1; i >= at; i--) {
            into[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
