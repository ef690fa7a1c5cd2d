package io.gifchat.identity;

import java.time.Clock;
import java.time.Duration;

import io.gifchat.session.SessionProperties;

import org.springframework.session.ReactiveSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The identity a browser session already holds, looked up by session id for requests that do not pass through
 * WebFlux's session handling (the WebSocket handshake). Like a page request, the lookup counts as use of the session:
 * its last-access time moves, so an open chat keeps its session alive, and the session is kept for the full
 * {@code gifchat.session.timeout} from then on (a page's live connection is more than a page fetch).
 */
@Component
public class SessionIdentities {

    private final ReactiveSessionRepository<? extends Session> sessions;
    private final Clock clock;
    private final Duration keep;

    SessionIdentities(ReactiveSessionRepository<? extends Session> sessions, Clock clock, SessionProperties properties) {
        this.sessions = sessions;
        this.clock = clock;
        this.keep = properties.timeout();
    }

    /** Empty when there is no such session, it expired, or it has no identity yet. */
    public Mono<Identity> find(String sessionId) {
        return touch(sessions, sessionId);
    }

    private <S extends Session> Mono<Identity> touch(ReactiveSessionRepository<S> sessions, String id) {
        return sessions.findById(id).flatMap(session -> {
            if (!(session.getAttribute(Identities.ATTRIBUTE) instanceof Identity identity)) {
                return Mono.empty();
            }
            // The page's live connection: a browser running the page, not a script fetching it. The interval first:
            // the stored expiry is computed when the access time is set.
            session.setMaxInactiveInterval(keep);
            session.setLastAccessedTime(clock.instant());
            return sessions.save(session).thenReturn(identity);
        });
    }
}
