package io.gifchat.messaging;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import io.gifchat.limits.Budget;
import io.gifchat.limits.Budgets;
import io.gifchat.stomp.StompDecoder;
import io.gifchat.stomp.StompFrame;
import io.gifchat.stomp.StompHeaders;
import io.gifchat.stomp.StompLimits;
import io.gifchat.stomp.StompProtocolException;
import io.gifchat.stomp.StompVersion;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.websocket.WebsocketInbound;

/**
 * STOMP over one WebSocket. {@link #handle} returns the composition of the inbound side (decode in order, handle
 * each frame in order) and the outbound side (the connection's bounded queue, written on the channel's event loop,
 * until its last frame); whichever way it ends, the connection's subscriptions are removed once. A slow consumer
 * is cut by closing the channel, which ends the inbound side.
 *
 * <p>A WebSocket message the WebSocket layer refuses (longer than {@link #maxMessagePayload}, unmasked, reserved
 * bits set) is answered like any refused frame: a STOMP ERROR ({@code frame too large}, or {@code malformed
 * WebSocket frame}), then the close (1009 or 1002). Netty's decoder would write its close frame first and leave the
 * client without a reason, so each connection's decoder is replaced by one that leaves violations to us.
 */
@Component
class StompWebSocketHandler {

    private static final String OUTBOUND_HANDLER = "gifchat.stomp.outbound";

    private static final Logger log = LoggerFactory.getLogger(StompWebSocketHandler.class);

    private final Commands commands;
    private final Heartbeats heartbeats;
    private final StompProperties properties;
    private final StompMetrics metrics;
    private final StompLimits limits;
    private final Budgets budgets;
    private final AtomicLong ids = new AtomicLong();
    // Shared by all connections rather than allocated per connection: each idle connection holds what it captures.
    private final Runnable slowConsumer;
    private final Function<Connection, Mono<Void>> end;
    private final BiFunction<Connection, Throwable, Mono<Void>> endOnError;
    private final WebSocketDecoderConfig decoderConfig;

    StompWebSocketHandler(Commands commands, Heartbeats heartbeats, StompProperties properties, StompMetrics metrics,
                          Budgets budgets) {
        this.budgets = budgets;
        this.commands = commands;
        this.heartbeats = heartbeats;
        this.properties = properties;
        this.limits = properties.limits();
        this.metrics = metrics;
        this.slowConsumer = metrics::slowConsumer;
        this.end = commands::end;
        this.endOnError = (connection, error) -> error instanceof CorruptedWebSocketFrameException violation
                ? refuse(connection, violation).then(Mono.defer(() -> commands.end(connection)))
                : commands.end(connection);
        this.decoderConfig = WebSocketDecoderConfig.newBuilder()
                // as Reactor Netty configures it, except that a violation is left to us instead of closing at once
                .maxFramePayloadLength(maxMessagePayload(properties))
                .allowExtensions(true)
                .closeOnProtocolViolation(false)
                .build();
    }

    /**
     * The longest WebSocket message payload read: twice the STOMP frame limit, so a frame over that limit is still
     * refused by our decoder (with its own ERROR), and a larger message by the WebSocket layer before Netty buffers it.
     */
    static int maxMessagePayload(StompProperties properties) {
        return (int) Math.min(Integer.MAX_VALUE, 2 * properties.maxFrameSize().toBytes());
    }

    /** Unique among this server's connections, whatever their carrier. */
    long nextId() {
        return ids.incrementAndGet();
    }

    Mono<Void> handle(WebsocketInbound in, Identity identity) {
        Outbound outbound = outbound(in);
        Connection connection = new Connection(nextId(), identity, outbound,
                new StompDecoder(limits), slowConsumer, budgets.allowance(Budget.FRAMES));
        heartbeats.awaitConnect(connection);

        // Errors are answered inside the stream: letting one escape would cancel the inbound side and with it the
        // socket, before the ERROR frame could be written.
        // Decoding happens in map, synchronously on arrival: Reactor Netty releases a frame's buffer once onNext
        // returns. Then one message's frames at a time, in order: flatMap with concurrency 1 rather than concatMap,
        // which would keep the last message's whole handling chain reachable from every idle connection. Its
        // delayError variant because the plain one cancels the receiving side when that side fails, and Reactor
        // Netty answers a cancelled receive with an immediate close: a WebSocket violation could not be told first.
        Mono<Void> inbound = in.receiveFrames()
                .map(frame -> decode(connection, frame))
                .flatMapDelayError(frames -> handleInOrder(connection, frames), 1, 1)
                .then()
                // The peer went away (or we closed): nothing more can be written.
                .doFinally(signal -> connection.outbound().finish(null));
        // Whichever ends first ends the WebSocket: the peer closing (inbound completes), or the last frame (ERROR,
        // DISCONNECT's RECEIPT, shutdown) written — then Reactor Netty sends the close frame.
        return Mono.usingWhen(Mono.just(connection), c -> Mono.firstWithSignal(inbound, outbound.written()),
                end, endOnError, end);
    }

    /** The connection's outbound queue, writing to its channel; it also listens there for writability. */
    private Outbound outbound(WebsocketInbound in) {
        Outbound[] outbound = new Outbound[1];
        in.withConnection(netty -> {
            answerViolations(netty.channel().pipeline());
            outbound[0] = new Outbound(netty.channel(), properties.outboundFrames(), properties.outboundSize().toBytes());
            netty.addHandlerLast(OUTBOUND_HANDLER, outbound[0]);
        });
        return outbound[0];
    }

    /**
     * Replaces the WebSocket frame decoder by one that raises a violation without writing a close frame first. Runs
     * on the event loop in the task that completed the handshake (Reactor Netty calls the handler from the
     * handshake's listener), before the client can have sent anything after the handshake response, so no frame is
     * split between the two decoders.
     */
    private void answerViolations(ChannelPipeline pipeline) {
        ChannelHandlerContext decoder = pipeline.context(WebSocketFrameDecoder.class);
        if (decoder != null) {
            pipeline.replace(decoder.name(), decoder.name(), new WebSocket13FrameDecoder(decoderConfig));
        }
    }

    /**
     * A WebSocket-level violation, as a STOMP ERROR and then the close with the violation's status; completes when
     * the socket is closed. The peer may still be sending the message we refused: see {@link Outbound#closeAfterPeer}.
     */
    private Mono<Void> refuse(Connection connection, CorruptedWebSocketFrameException violation) {
        WebSocketCloseStatus status = violation.closeStatus();
        String message = status.equals(WebSocketCloseStatus.MESSAGE_TOO_BIG) ? "frame too large"
                : "malformed WebSocket frame";
        commands.fail(connection, null, new StompProtocolException(message));
        Outbound outbound = connection.outbound();
        return outbound.written().then(Mono.defer(() -> outbound.closeAfterPeer(status)));
    }

    Mono<Void> handleInOrder(Connection connection, List<StompFrame> frames) {
        return switch (frames.size()) {
            case 0 -> Mono.empty();
            case 1 -> handle(connection, frames.get(0));
            default -> Flux.fromIterable(frames).concatMap(frame -> handle(connection, frame), 0).then();
        };
    }

    private Mono<Void> handle(Connection connection, StompFrame frame) {
        return Mono.defer(() -> commands.handle(connection, frame)).onErrorResume(e -> fail(connection, frame, e));
    }

    private List<StompFrame> decode(Connection connection, WebSocketFrame message) {
        connection.received();
        if (connection.outbound().isFinished()) {
            return List.of(); // after ERROR or DISCONNECT the rest is ignored until the socket closes
        }
        if (!(message instanceof TextWebSocketFrame || message instanceof BinaryWebSocketFrame
                || message instanceof ContinuationWebSocketFrame)) {
            return List.of(); // pings and pongs are the WebSocket's business
        }
        return decode(connection, message.content().nioBuffer());
    }

    /**
     * The frames complete in {@code bytes}, decoded with the connection's own decoder (any carrier's: a WebSocket
     * message, a fallback POST's body); a refusal is answered with ERROR and yields none.
     */
    List<StompFrame> decode(Connection connection, ByteBuffer bytes) {
        try {
            List<StompFrame> frames = new ArrayList<>(2);
            connection.decoder().decode(bytes, frame -> {
                frames.add(frame);
                // Frames pipelined right behind CONNECT in the same message must already be read with the
                // negotiated version's escaping; CONNECT itself decides the version later, the same way.
                if (!connection.isConnected() && frame.command().isConnect()) {
                    StompVersion.negotiate(frame.header(StompHeaders.ACCEPT_VERSION))
                            .ifPresent(connection.decoder()::setVersion);
                }
            });
            return frames;
        } catch (RuntimeException e) {
            fail(connection, null, e);
            return List.of();
        }
    }

    private Mono<Void> fail(Connection connection, StompFrame frame, Throwable error) {
        commands.fail(connection, frame, error);
        return Mono.empty();
    }
}
