package io.gifchat.web;

import io.gifchat.identity.Identities;
import io.gifchat.identity.Identity;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** What every page shows: the visitor's identity, and the CSRF token that htmx and fetch send back. */
@ControllerAdvice(annotations = org.springframework.stereotype.Controller.class)
class PageModel {

    private final Identities identities;

    PageModel(Identities identities) {
        this.identities = identities;
    }

    @ModelAttribute("me")
    Mono<Identity> me(ServerWebExchange exchange) {
        return identities.of(exchange);
    }

    @ModelAttribute("_csrf")
    Mono<CsrfToken> csrf(ServerWebExchange exchange) {
        Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
        return token == null ? Mono.empty() : token;
    }
}
