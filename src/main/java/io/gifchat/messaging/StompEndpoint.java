package io.gifchat.messaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gifchat.domain.Refusal;
import io.gifchat.limits.Budget;
import io.gifchat.limits.Budgets;
import io.gifchat.limits.ClientAddress;
import io.gifchat.session.SessionProperties;
import io.gifchat.identity.Identities;
import io.gifchat.identity.Identity;
import io.gifchat.identity.SessionIdentities;
import io.gifchat.stomp.StompVersion;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.cookie.Cookie;
import io.netty.handler.codec.http.cookie.ServerCookieDecoder;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyRouteProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.netty.http.server.WebsocketServerSpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /ws}: the WebSocket handshake, as a Reactor Netty route in front of WebFlux. A WebSocket lives as long
 * as its connection, and going through WebFlux would keep the whole exchange (request, headers, session, filter
 * chain) alive for each one — most of an idle connection's heap. Here the handshake takes only what the connection
 * needs: it must be an upgrade, the Origin must be allowed (403 otherwise), and the connection belongs to the
 * identity of the session cookie, or to a fresh anonymous identity without one. The server selects one of the
 * STOMP subprotocols the client offers, in the client's order of preference, or none if it offers none of them.
 */
@Component
class StompEndpoint implements NettyRouteProvider {

    static final String PATH = "/ws";

    private static final Logger log = LoggerFactory.getLogger(StompEndpoint.class);

    private final StompWebSocketHandler handler;
    private final Identities identities;
    private final SessionIdentities sessions;
    private final String cookieName;
    private final Origins origins;
    private final WebsocketServerSpec stomp;
    private final WebsocketServerSpec plain;
    private final JsonMapper json;
    private final Budgets budgets;
    private final EventStreams streams;

    StompEndpoint(StompWebSocketHandler handler, Identities identities, SessionIdentities sessions,
                  SessionProperties session, StompProperties properties, JsonMapper json, Budgets budgets,
                  EventStreams streams) {
        this.budgets = budgets;
        this.streams = streams;
        this.handler = handler;
        this.identities = identities;
        this.sessions = sessions;
        this.cookieName = session.cookieName();
        this.origins = new Origins(properties.allowedOrigins());
        this.json = json;
        int maxPayload = StompWebSocketHandler.maxMessagePayload(properties);
        this.stomp = WebsocketServerSpec.builder()
                .protocols(String.join(",", StompVersion.subprotocols()))
                .maxFramePayloadLength(maxPayload)
                .build();
        // Reactor Netty runs the handler only if it selected a subprotocol, so a client that offers none of ours
        // (a plain WebSocket tool) is upgraded without one: it still speaks STOMP, and CONNECT negotiates the version.
        this.plain = WebsocketServerSpec.builder().maxFramePayloadLength(maxPayload).build();
    }

    @Override
    public HttpServerRoutes apply(HttpServerRoutes routes) {
        return routes.get(PATH, this::handshake).get(EventStreams.PATH, this::openStream);
    }

    /**
     * {@code GET /stomp/sse}: the fallback carrier's stream ({@link EventStreams}), under the handshake's rules — the
     * same Origin check, the same handshake budget, the identity of the session cookie.
     */
    private Publisher<Void> openStream(HttpServerRequest request, HttpServerResponse response) {
        if (!origins.allows(request.requestHeaders().get(HttpHeaderNames.ORIGIN), request)) {
            return refuse(response, HttpResponseStatus.FORBIDDEN, "Connections from this origin are not allowed.",
                    EventStreams.PATH);
        }
        return budgets.spend(Budget.HANDSHAKES, ClientAddress.key(request.remoteAddress()))
                .thenReturn(Optional.<Refusal>empty())
                .onErrorResume(Refusal.class, spent -> Mono.just(Optional.of(spent)))
                .flatMap(spent -> spent.isPresent() ? tooMany(response, spent.get()) : identity(request)
                        .map(Optional::of)
                        .onErrorResume(e -> {
                            log.warn("Session lookup failed at a fallback stream's start: {}", e.toString());
                            return Mono.just(Optional.empty());
                        })
                        .flatMap(identity -> identity.isEmpty()
                                ? refuse(response, HttpResponseStatus.SERVICE_UNAVAILABLE,
                                        "Sessions are unavailable; try again shortly.", EventStreams.PATH)
                                : streams.open(response, identity.get())));
    }

    private Publisher<Void> handshake(HttpServerRequest request, HttpServerResponse response) {
        HttpHeaders headers = request.requestHeaders();
        if (!headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                || !headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)
                || !headers.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY)) {
            // Netty would drop a malformed upgrade without a response; say what is wrong instead.
            return refuse(response, HttpResponseStatus.BAD_REQUEST, "This endpoint only accepts WebSocket upgrades.");
        }
        if (!origins.allows(headers.get(HttpHeaderNames.ORIGIN), request)) {
            return refuse(response, HttpResponseStatus.FORBIDDEN, "WebSocket connections from this origin are not allowed.");
        }
        return budgets.spend(Budget.HANDSHAKES, ClientAddress.key(request.remoteAddress()))
                .thenReturn(Optional.<Refusal>empty())
                .onErrorResume(Refusal.class, spent -> Mono.just(Optional.of(spent)))
                .flatMap(spent -> spent.isPresent() ? tooMany(response, spent.get()) : upgrade(request, response, headers));
    }

    private Mono<Void> tooMany(HttpServerResponse response, Refusal spent) {
        response.header(HttpHeaderNames.RETRY_AFTER, spent.retryAfterSeconds());
        return refuse(response, HttpResponseStatus.TOO_MANY_REQUESTS, spent.getMessage());
    }

    private Mono<Void> upgrade(HttpServerRequest request, HttpServerResponse response, HttpHeaders headers) {
        return identity(request)
                .map(Optional::of)
                .onErrorResume(e -> {
                    log.warn("Session lookup failed at a WebSocket handshake: {}", e.toString());
                    return Mono.just(Optional.empty());
                })
                .flatMap(identity -> identity.isEmpty()
                        ? refuse(response, HttpResponseStatus.SERVICE_UNAVAILABLE, "Sessions are unavailable; try again shortly.")
                        : response.sendWebsocket((in, out) -> handler.handle(in, identity.get()), spec(headers)));
    }

    private WebsocketServerSpec spec(HttpHeaders headers) {
        String offered = headers.get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
        if (offered != null) {
            for (String protocol : offered.split(",")) {
                if (StompVersion.fromSubprotocol(protocol.trim()).isPresent()) {
                    return stomp;
                }
            }
        }
        return plain;
    }

    /** The first of the request's session cookies that names a live session with an identity, as WebFlux does. */
    private Mono<Identity> identity(HttpServerRequest request) {
        return Flux.fromIterable(sessionIds(request.requestHeaders()))
                .concatMap(sessions::find)
                .next()
                .switchIfEmpty(Mono.fromSupplier(identities::fresh));
    }

    /** Parsed here rather than by {@code request.cookies()}, whose cache would live as long as the socket. */
    private List<String> sessionIds(HttpHeaders headers) {
        List<String> ids = new ArrayList<>(1);
        for (String header : headers.getAll(HttpHeaderNames.COOKIE)) {
            for (Cookie cookie : ServerCookieDecoder.LAX.decodeAll(header)) { // decode() keeps one per name
                if (cookie.name().equals(cookieName)) {
                    ids.add(cookie.value());
                }
            }
        }
        return ids;
    }

    /** An RFC 9457 problem, like the rest of the HTTP API. */
    private Mono<Void> refuse(HttpServerResponse response, HttpResponseStatus status, String detail) {
        return refuse(response, status, detail, PATH);
    }

    private Mono<Void> refuse(HttpServerResponse response, HttpResponseStatus status, String detail, String instance) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.reasonPhrase());
        problem.put("status", status.code());
        problem.put("detail", detail);
        problem.put("instance", instance);
        return response.status(status)
                .header(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .sendByteArray(Mono.just(json.writeValueAsBytes(problem)))
                .then();
    }
}
