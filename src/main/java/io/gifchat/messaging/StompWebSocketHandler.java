package io.gifchat.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.gifchat.identity.Identities;
import io.gifchat.identity.Identity;
import io.gifchat.stomp.StompFrame;
import io.gifchat.stomp.StompHeaders;
import io.gifchat.stomp.StompProtocolException;
import io.gifchat.stomp.StompVersion;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * STOMP over one WebSocket. {@link #handle} returns the composition of the inbound side (decode in order, handle
 * each frame in order) and the outbound side (drain the connection's bounded queue), plus an emergency cut for a
 * slow consumer; whichever way it ends, the connection's subscriptions are removed once.
 */
@Component
class StompWebSocketHandler implements WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(StompWebSocketHandler.class);

    private final Commands commands;
    private final Heartbeats heartbeats;
    private final Identities identities;
    private final StompProperties properties;
    private final StompMetrics metrics;
    private final AtomicLong ids = new AtomicLong();

    StompWebSocketHandler(Commands commands, Heartbeats heartbeats, Identities identities,
                          StompProperties properties, StompMetrics metrics) {
        this.commands = commands;
        this.heartbeats = heartbeats;
        this.identities = identities;
        this.properties = properties;
        this.metrics = metrics;
    }

    @Override
    public List<String> getSubProtocols() {
        return StompVersion.subprotocols();
    }

    @Override
    public Mono<Void> handle(WebSocketSession session) {
        // The handshake copied the WebSession's identity (if the browser had one) into the socket's attributes.
        Identity identity = session.getAttributes().get(Identities.ATTRIBUTE) instanceof Identity known
                ? known : identities.fresh();
        Connection connection = new Connection(Long.toString(ids.incrementAndGet(), 36), identity, properties,
                metrics::slowConsumer);
        heartbeats.awaitConnect(connection);

        // Our upgrade strategy (NettyUpgrade) is the only one configured, so sessions are always NettySessions.
        NettyUpgrade.NettySession netty = (NettyUpgrade.NettySession) session;
        Flux<WebSocketFrame> frames = connection.outbound().items().map(item -> {
            connection.sent();
            return item.frame();
        });
        Mono<Void> outbound = netty.sendFrames(frames).then(Mono.defer(session::close));
        // Errors are answered inside the stream: letting one escape would cancel receive() and with it the socket,
        // before the ERROR frame could be written.
        // Decoding happens in map, synchronously on arrival: Reactor Netty releases a message's buffer once onNext
        // returns, so it must not wait in a prefetch queue while an earlier frame (a database write) is handled.
        Mono<Void> inbound = session.receive()
                .map(message -> decode(connection, message))
                // Prefetch 1: frames are handled one at a time anyway, and every idle connection holds this queue.
                .concatMapIterable(decoded -> decoded, 1)
                .concatMap(frame -> Mono.defer(() -> commands.handle(connection, frame))
                        .onErrorResume(e -> fail(connection, frame, e)))
                .then()
                // The peer went away (or we closed): nothing more can be written.
                .doFinally(signal -> connection.outbound().finish(null));
        Mono<Void> cut = connection.cut().doOnNext(reason -> netty.abort()).then();

        return Mono.usingWhen(Mono.just(connection),
                c -> Mono.firstWithSignal(Mono.when(inbound, outbound), cut),
                commands::end, (c, error) -> commands.end(c), commands::end);
    }

    private List<StompFrame> decode(Connection connection, WebSocketMessage message) {
        connection.received();
        if (connection.outbound().isFinished()) {
            return List.of(); // after ERROR or DISCONNECT the rest is ignored until the socket closes
        }
        try {
            List<StompFrame> frames = new ArrayList<>(2);
            connection.decoder().decode(message.getPayload().toByteBuffer(), frame -> {
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

    /** A short ERROR (with the failing frame's receipt id), then the connection closes; never a stack trace. */
    private Mono<Void> fail(Connection connection, StompFrame frame, Throwable error) {
        String message;
        if (error instanceof StompProtocolException || error instanceof StompDeniedException) {
            message = error.getMessage();
        } else {
            log.error("Unexpected failure on {}", connection, error);
            message = "internal error";
        }
        metrics.error(message);
        String receipt = frame == null ? null : frame.header(StompHeaders.RECEIPT);
        connection.sendLast(StompFrame.error(message, receipt));
        return Mono.empty();
    }
}
