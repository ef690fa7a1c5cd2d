package io.gifchat.session;

import java.time.Clock;
import java.time.Duration;

import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.WebSession;
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
    private final ReactiveSessionRepository<? extends Session> sessions;
    private final Clock clock;

    SessionKeeping(SessionProperties properties, ReactiveSessionRepository<? extends Session> sessions, Clock clock) {
        this.keep = properties.timeout();
        this.sessions = sessions;
        this.clock = clock;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        HttpMethod method = exchange.getRequest().getMethod();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS) {
            return chain.filter(exchange);
        }
        return exchange.getSession().flatMap(session -> {
            if (session.getMaxIdleTime().compareTo(keep) >= 0) {
                return chain.filter(exchange);
            }
            session.setMaxIdleTime(keep);
            // WebFlux saves the session when the response commits, but the stored expiry is only computed when the
            // access time is set — which happened before this request ran, with the short interval. Once the
            // request is done, store the session again with its expiry from the long one.
            return chain.filter(exchange).then(Mono.defer(() -> lengthen(session)));
        });
    }

    private Mono<Void> lengthen(WebSession session) {
        return session.isStarted() ? lengthen(sessions, session.getId()) : Mono.empty();
    }

    private <S extends Session> Mono<Void> lengthen(ReactiveSessionRepository<S> sessions, String id) {
        return sessions.findById(id).flatMap(stored -> {
            stored.setMaxInactiveInterval(keep);
            stored.setLastAccessedTime(clock.instant());
            return sessions.save(stored);
        });
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10; // before Spring Security, whose login may change the session's id
    }
}
