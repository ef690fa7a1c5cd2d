package io.gifchat.web;

import io.gifchat.identity.Identities;
import io.gifchat.identity.Identity;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * What every page shows: the visitor's identity, and the CSRF token that htmx and fetch send back. Both stay lazy
 * (resolved only when a view renders, so API calls make no identity), and the token waits for the identity.
 */
@ControllerAdvice(annotations = org.springframework.stereotype.Controller.class)
class PageModel {

    private static final String ME = PageModel.class.getName() + ".me";

    private final Identities identities;

    PageModel(Identities identities) {
        this.identities = identities;
    }

    /** One identity per request however many ask: the first asker makes it, the others get the same. */
    @ModelAttribute("me")
    @SuppressWarnings("unchecked")
    Mono<Identity> me(ServerWebExchange exchange) {
        return (Mono<Identity>) exchange.getAttributes().computeIfAbsent(ME, key -> identities.of(exchange).cache());
    }

    /**
     * After the identity, never beside it: the view resolves its attributes together, and making the token stores
     * the session at once (Spring Security renames it; Spring Session saves the rename on another thread) while a
     * first visit could still be writing its new identity into the same session — a ConcurrentModificationException
     * and a 500 now and then.
     */
    @ModelAttribute("_csrf")
    Mono<CsrfToken> csrf(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return me(exchange).then(token == null ? Mono.empty() : token);
    }
}
