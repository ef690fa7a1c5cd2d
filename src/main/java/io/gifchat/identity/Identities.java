package io.gifchat.identity;

import java.security.SecureRandom;
import java.util.UUID;

import io.gifchat.domain.Refusal;
import io.gifchat.limits.Budget;
import io.gifchat.limits.Budgets;
import io.gifchat.limits.ClientAddress;
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
    private final Budgets budgets;

    Identities(Budgets budgets) {
        this.budgets = budgets;
    }

    /**
     * The session's identity; a session without one gets a fresh identity, which spends one of the client
     * address's {@code new-sessions} budget: identities are free, and every per-identity budget is only worth what
     * a new identity costs.
     *
     * @throws Refusal (as the Mono's error) {@code TOO_MANY} when the address has made too many new sessions
     */
    public Mono<Identity> of(ServerWebExchange exchange) {
        return exchange.getSession().flatMap(session -> {
            if (session.getAttributes().get(ATTRIBUTE) instanceof Identity known) {
                return Mono.just(known);
            }
            return budgets.spend(Budget.NEW_SESSIONS, ClientAddress.key(exchange.getRequest().getRemoteAddress()))
                    .then(Mono.fromSupplier(() -> of(session)));
        });
    }

    Identity of(WebSession session) {
        return (Identity) session.getAttributes().computeIfAbsent(ATTRIBUTE, key -> fresh());
    }

    /** An identity for a client without a session, e.g. a WebSocket connection that sent no cookie. */
    public Identity fresh() {
        String id = UUID.randomUUID().toString();
        return new Identity(id, Nicknames.next(random), ColorHash.hex(id));
    }
}
