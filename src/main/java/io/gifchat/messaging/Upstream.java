package io.gifchat.messaging;

import java.net.URI;

import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identities;
import io.gifchat.identity.Identity;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code POST /stomp/sse/{token}}: client frames of a fallback connection ({@link EventStreams}), the body raw STOMP
 * bytes. Through WebFlux rather than beside it like the stream: a POST is short, and this way it passes the same
 * CSRF check as every other state-changing request (Spring Security, the page's {@code X-CSRF-TOKEN} header), and
 * its refusals are the API's ProblemDetails. The Origin rules are the WebSocket handshake's; the session cookie must
 * be the stream's identity's. 204 once the frames are handled; what they answer comes on the stream. A POST for a
 * stream another node holds is handled there ({@link EventStreams#forward}), with the same answers.
 */
@RestController
class Upstream {

    private final EventStreams streams;
    private final Origins origins;

    Upstream(EventStreams streams, StompProperties properties) {
        this.streams = streams;
        this.origins = new Origins(properties.allowedOrigins());
    }

    @PostMapping(EventStreams.PATH + "/{token}")
    Mono<ResponseEntity<Object>> post(@PathVariable String token, ServerWebExchange exchange) {
        ServerHttpRequest request = exchange.getRequest();
        URI uri = request.getURI();
        int port = uri.getPort() < 0 ? Origins.defaultPort(uri.getScheme()) : uri.getPort();
        if (!origins.allows(request.getHeaders().getOrigin(), uri.getScheme(), uri.getHost(), port)) {
            return Mono.error(Refusal.of(Refusal.Reason.NOT_ALLOWED, "Requests from this origin are not allowed."));
        }
        return exchange.getSession()
                .map(session -> session.getAttributes().get(Identities.ATTRIBUTE) instanceof Identity identity
                        ? identity.id() : "")
                .flatMap(identity -> {
                    String id = identity.isEmpty() ? null : identity;
                    long length = request.getHeaders().getContentLength();
                    // Another node of the cluster holds the stream: the POST goes there through Redis.
                    return streams.heldElsewhere(token) ? streams.forward(token, id, length, request.getBody())
                            : streams.receive(token, id, length, request.getBody());
                })
                .thenReturn(ResponseEntity.noContent().build());
    }
}
