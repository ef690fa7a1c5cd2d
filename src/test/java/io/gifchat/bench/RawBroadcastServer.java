package io.gifchat.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The CEILING of the broadcast benchmark: the least work a Reactor Netty WebSocket server can do to give
 * every subscriber the bytes the STOMP server would give it. Runs in its own JVM:
 * {@code java ... io.gifchat.bench.RawBroadcastServer PORT [direct|loop|sink]}.
 *
 * <ul>
 * <li>{@code /ws} (subprotocol {@code v12.stomp}): a connection is a subscriber unless its upgrade request
 * has {@code X-Bench-Role: publisher} (the STOMP benchmark's publisher does not subscribe either). A new
 * subscriber gets {@code RECEIPT receipt-id:sub-0} once it is registered, as the STOMP server answers a
 * SUBSCRIBE with a receipt, so the client knows when it will receive broadcasts.</li>
 * <li>Every inbound text/binary message is taken as a STOMP SEND frame: its body (after the blank line, up to
 * the NUL) is wrapped ONCE into a STOMP MESSAGE frame with the headers the STOMP server writes
 * (destination, message-id, subscription, content-type, content-length) in one pooled buffer, and that one
 * buffer is written to every subscriber as a text frame ({@code retainedDuplicate}, no copy).</li>
 * <li>{@code GET /actuator/health} answers 200, like the app, for the readiness probe.</li>
 * </ul>
 *
 * Fan-out modes: {@code direct} (default) writes and flushes on each subscriber channel from the publisher's
 * event loop (Netty hands each write to the subscriber's loop); {@code loop} batches per event loop, one task
 * per loop writing to all of its subscribers; {@code sink} goes through the reactive path a WebFlux
 * {@code WebSocketSession.send(Flux)} uses: one unicast sink per subscriber feeding {@code out.sendObject}.
 */
public final class RawBroadcastServer {

    static final String DESTINATION = "/topic/bench";
    private static final byte[] HEAD = StompStreamParser.ascii(
            "MESSAGE\ndestination:" + DESTINATION + "\nmessage-id:");
    // The app's broker writes message-id as a base-36 counter, then content-type, subscription, content-length.
    private static final byte[] AFTER_ID = StompStreamParser.ascii(
            "\ncontent-type:text/plain\nsubscription:0\ncontent-length:");
    private static final byte[] RECEIPT = StompStreamParser.ascii("RECEIPT\nreceipt-id:sub-0\n\n\0");

    private final String mode;
    private final CopyOnWriteArrayList<Channel> subscribers = new CopyOnWriteArrayList<>();
    private final Map<EventLoop, CopyOnWriteArrayList<Channel>> byLoop = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<Sinks.Many<WebSocketFrame>> sinks = new CopyOnWriteArrayList<>();
    private final AtomicLong messageIds = new AtomicLong();

    private RawBroadcastServer(String mode) {
        this.mode = mode;
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
        String mode = args.length > 1 ? args[1] : "direct";
        if (!List.of("direct", "loop", "sink").contains(mode)) {
            throw new IllegalArgumentException("mode must be direct, loop or sink: " + mode);
        }
        RawBroadcastServer server = new RawBroadcastServer(mode);
        DisposableServer bound = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .route(r -> r
                        .get("/actuator/health", (req, res) -> res
                                .header("content-type", "application/json")
                                .sendString(Mono.just("{\"status\":\"UP\"}")))
                        .ws("/ws", server::handle, WebsocketServerSpec.builder()
                                .protocols("v12.stomp")
                                .maxFramePayloadLength(1 << 20)
                                .build()))
                .bindNow();
        System.out.println("RawBroadcastServer (" + mode + ") listening on 127.0.0.1:" + bound.port());
        bound.onDispose().block();
    }

    private Mono<Void> handle(WebsocketInbound in, WebsocketOutbound out) {
        boolean publisher = "publisher".equalsIgnoreCase(in.headers().get("x-bench-role"));
        Mono<Void> inbound = in.receiveFrames()
                .doOnNext(frame -> {
                    if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
                        broadcast(frame.content(), out.alloc());
                    }
                })
                .then();
        if (publisher) {
            return inbound;
        }
        if (mode.equals("sink")) {
            Sinks.Many<WebSocketFrame> sink = Sinks.many().unicast().onBackpressureBuffer();
            sinks.add(sink);
            sink.tryEmitNext(new TextWebSocketFrame(out.alloc().buffer(RECEIPT.length).writeBytes(RECEIPT)));
            Mono<Void> outbound = out.sendObject(sink.asFlux()).then();
            return Mono.when(outbound, inbound.doFinally(s -> {
                sinks.remove(sink);
                sink.tryEmitComplete();
            }));
        }
        in.withConnection(c -> {
            Channel ch = c.channel();
            subscribers.add(ch);
            byLoop.computeIfAbsent(ch.eventLoop(), l -> new CopyOnWriteArrayList<>()).add(ch);
            c.onDispose(() -> {
                subscribers.remove(ch);
                byLoop.get(ch.eventLoop()).remove(ch);
            });
            ch.writeAndFlush(new TextWebSocketFrame(ch.alloc().buffer(RECEIPT.length).writeBytes(RECEIPT)),
                    ch.voidPromise());
        });
        return inbound;
    }

    /** Wraps the SEND frame's body in a MESSAGE frame once and writes that one buffer to every subscriber. */
    private void broadcast(ByteBuf send, ByteBufAllocator alloc) {
        int from = send.readerIndex();
        int to = send.writerIndex();
        int body = -1;
        for (int i = from; i + 1 < to; i++) { // the blank line ending the headers
            if (send.getByte(i) == '\n' && send.getByte(i + 1) == '\n') {
                body = i + 2;
                break;
            }
        }
        if (body < 0) {
            return;
        }
        int nul = to - 1;
        while (nul >= body && send.getByte(nul) != 0) {
            nul--; // the NUL, before optional trailing EOLs
        }
        if (nul < body) {
            return;
        }
        int bodyLength = nul - body;
        byte[] length = Integer.toString(bodyLength).getBytes(StandardCharsets.US_ASCII);
        String id = Long.toString(messageIds.incrementAndGet(), 36);
        ByteBuf frame = alloc.directBuffer(HEAD.length + id.length() + AFTER_ID.length + length.length + 2
                + bodyLength + 1);
        frame.writeBytes(HEAD).writeCharSequence(id, StandardCharsets.US_ASCII);
        frame.writeBytes(AFTER_ID).writeBytes(length).writeByte('\n').writeByte('\n')
                .writeBytes(send, body, bodyLength).writeByte(0);
        try {
            switch (mode) {
                case "direct" -> {
                    for (Channel ch : subscribers) {
                        ch.writeAndFlush(new TextWebSocketFrame(frame.retainedDuplicate()), ch.voidPromise());
                    }
                }
                case "loop" -> {
                    for (Map.Entry<EventLoop, CopyOnWriteArrayList<Channel>> e : byLoop.entrySet()) {
                        List<Channel> channels = e.getValue();
                        ByteBuf shared = frame.retainedDuplicate();
                        Runnable task = () -> {
                            try {
                                for (Channel ch : channels) {
                                    ch.writeAndFlush(new TextWebSocketFrame(shared.retainedDuplicate()),
                                            ch.voidPromise());
                                }
                            } finally {
                                shared.release();
                            }
                        };
                        if (e.getKey().inEventLoop()) {
                            task.run();
                        } else {
                            e.getKey().execute(task);
                        }
                    }
                }
                default -> {
                    for (Sinks.Many<WebSocketFrame> sink : sinks) {
                        TextWebSocketFrame f = new TextWebSocketFrame(frame.retainedDuplicate());
                        if (sink.tryEmitNext(f).isFailure()) {
                            f.release();
                        }
                    }
                }
            }
        } finally {
            frame.release();
        }
    }
}
