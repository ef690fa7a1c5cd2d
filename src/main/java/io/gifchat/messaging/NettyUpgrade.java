package io.gifchat.messaging;

import java.util.function.Supplier;

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
 * can be aborted. A slow consumer must be cut at once: a WebSocket close frame would wait behind the very bytes the
 * peer is not reading, so the only way out is to drop the TCP connection.
 */
final class NettyUpgrade implements RequestUpgradeStrategy {

    private final int maxFramePayloadLength;

    NettyUpgrade(int maxFramePayloadLength) {
        this.maxFramePayloadLength = maxFramePayloadLength;
    }

    /** A session whose TCP connection can be dropped without a closing handshake. */
    static final class AbortableSession extends ReactorNettyWebSocketSession {

        private final WebsocketInbound inbound;

        AbortableSession(WebsocketInbound inbound, WebsocketOutbound outbound, HandshakeInfo info,
                         NettyDataBufferFactory buffers, int maxFramePayloadLength) {
            super(inbound, outbound, info, buffers, maxFramePayloadLength);
            this.inbound = inbound;
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
                handler.handle(new AbortableSession(in, out, handshakeInfo, buffers, maxFramePayloadLength)), spec)));
    }
}
