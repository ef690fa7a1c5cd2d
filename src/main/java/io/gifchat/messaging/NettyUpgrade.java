package io.gifchat.messaging;

import java.util.function.Supplier;

import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.adapter.ReactorNettyWebSocketSession;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.WebsocketServerSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;

/**
 * Reactor Netty's upgrade, as Spring's {@code ReactorNettyRequestUpgradeStrategy} does it, but with sessions that
 * write Netty frames directly and can be aborted. A slow consumer must be cut at once: a WebSocket close frame would wait behind the very bytes the
 * peer is not reading, so the only way out is to drop the TCP connection.
 */
final class NettyUpgrade implements RequestUpgradeStrategy {

    private final int maxFramePayloadLength;

    NettyUpgrade(int maxFramePayloadLength) {
        this.maxFramePayloadLength = maxFramePayloadLength;
    }

    /**
     * A session that writes Netty WebSocket frames directly (no per-message Spring wrappers on the fan-out path) and
     * whose TCP connection can be dropped without a closing handshake.
     */
    static final class NettySession extends ReactorNettyWebSocketSession {

        private final WebsocketInbound inbound;
        private final WebsocketOutbound outbound;

        NettySession(WebsocketInbound inbound, WebsocketOutbound outbound, HandshakeInfo info,
                     NettyDataBufferFactory buffers, int maxFramePayloadLength) {
            super(inbound, outbound, info, buffers, maxFramePayloadLength);
            this.inbound = inbound;
            this.outbound = outbound;
        }

        Mono<Void> sendFrames(Publisher<? extends WebSocketFrame> frames) {
            return outbound.sendObject(frames).then();
        }

        void abort() {
            inbound.withConnection(Connection::dispose);
        }
    }

    @Override
    public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, String subProtocol,
                              Supplier<HandshakeInfo> handshakeInfoFactory) {
        ServerHttpResponse response = exchange.getResponse();
        HttpServerResponse reactorResponse = ServerHttpResponseDecorator.getNativeResponse(response);
        HandshakeInfo handshakeInfo = handshakeInfoFactory.get();
        NettyDataBufferFactory buffers = (NettyDataBufferFactory) response.bufferFactory();
        WebsocketServerSpec spec = WebsocketServerSpec.builder()
                .protocols(subProtocol)
                .maxFramePayloadLength(maxFramePayloadLength)
                .build();
        // setComplete() runs WebFlux's pre-commit actions (e.g. saving the session) before the upgrade.
        return response.setComplete().then(Mono.defer(() -> reactorResponse.sendWebsocket((in, out) ->
                handler.handle(new NettySession(in, out, handshakeInfo, buffers, maxFramePayloadLength)), spec)));
    }
}
