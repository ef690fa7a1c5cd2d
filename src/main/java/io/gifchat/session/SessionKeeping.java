package io.gifchat.session;

import java.time.Duration;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Sessions start with {@code first-visit-timeout}: fetching pages is free and costs a session each, so those must
 * not stay seven days. A state-changing request (creating a room, a password, an upload, a login) is someone using
 * the app: from then on the session is kept for {@code timeout}. (The WebSocket handshake does the same, in
 * {@code identity.SessionIdentities}.)
 */
@Component
class SessionKeeping implements WebFilter, Ordered {

    private final Duration keep;

    SessionKeeping(SessionProperties properties) {
        this.keep = properties.timeout();
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return chain.filter(exchange);
        }
        // Changed before the request is handled; WebFlux saves a started session when the response commits.
        return exchange.getSession()
                .doOnNext(session -> {
                    if (session.getMaxIdleTime().compareTo(keep) < 0) {
                        session.setMaxIdleTime(keep);
                    }
                })
                .then(chain.filter(exchange));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10; // before Spring Security, whose login may change the session's id
    }
}
