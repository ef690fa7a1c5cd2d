package io.gifchat.messaging;

import java.util.Map;

import io.gifchat.broker.Broker;
import io.gifchat.identity.Identities;
import io.micrometer.observation.ObservationPredicate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.reactive.observation.ServerRequestObservationContext;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;

@Configuration(proxyBeanMethods = false)
class WebSocketConfiguration implements WebFluxConfigurer {

    static final String ENDPOINT = "/ws";

    private final StompProperties properties;

    WebSocketConfiguration(StompProperties properties) {
        this.properties = properties;
    }

    @Bean
    Broker broker() {
        return new Broker();
    }

    /**
     * No HTTP server observation for {@code /ws}: a WebSocket "request" lasts as long as the connection, so its
     * observation (timers, key-values) would sit in the heap of every idle session and record nothing useful.
     */
    @Bean
    ObservationPredicate noObservationOfWebSocketSessions() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && ENDPOINT.equals(request.getCarrier().getPath().value()));
    }

    /**
     * {@code /ws}, with the Origin checked at the handshake: WebFlux checks it only when a CORS configuration
     * applies to the handler. Same-origin and Origin-less (non-browser) handshakes pass; other origins only when
     * listed in {@code gifchat.stomp.allowed-origins}; the rest get 403.
     */
    @Bean
    HandlerMapping stompEndpoint(StompWebSocketHandler handler) {
        SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(Map.of(ENDPOINT, handler), Ordered.HIGHEST_PRECEDENCE);
        CorsConfiguration origins = new CorsConfiguration();
        properties.allowedOrigins().forEach(origins::addAllowedOriginPattern);
        origins.addAllowedMethod("GET");
        origins.addAllowedHeader("*");
        mapping.setCorsConfigurations(Map.of(ENDPOINT, origins));
        return mapping;
    }

    /**
     * Copies the WebSession's identity into the socket's attributes, so the connection belongs to the browser's
     * identity. WebSocket messages may be up to twice the STOMP frame limit: a larger frame is refused by our
     * decoder with a STOMP ERROR rather than by Netty with a bare close.
     */
    @Override
    public WebSocketService getWebSocketService() {
        int maxPayload = (int) Math.min(Integer.MAX_VALUE, 2 * properties.maxFrameSize().toBytes());
        HandshakeWebSocketService service = new HandshakeWebSocketService(new NettyUpgrade(maxPayload));
        service.setSessionAttributePredicate(Identities.ATTRIBUTE::equals);
        return service;
    }
}
