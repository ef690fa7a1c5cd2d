package io.gifchat.identity;

import java.security.SecureRandom;
import java.util.UUID;

import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;
import reactor.core.publisher.Mono;

/**
 * Gives every browser session an anonymous identity on first use and the same one afterwards. It is kept in the
 * WebSession (stored in MongoDB), so it survives reloads and server restarts for as long as the session lives.
 */
@Component
public class Identities {

    public static final String ATTRIBUTE = Identity.class.getName();

    private final SecureRandom random = new SecureRandom();

    public Mono<Identity> of(ServerWebExchange exchange) {
        return exchange.getSession().map(this::of);
    }

    public Identity of(WebSession session) {
        return (Identity) session.getAttributes().computeIfAbsent(ATTRIBUTE, key -> fresh());
    }

    /** An identity for a client without a session, e.g. a WebSocket connection that sent no cookie. */
    public Identity fresh() {
        String id = UUID.randomUUID().toString();
        return new Identity(id, Nicknames.next(random), ColorHash.hex(id));
    }
}
