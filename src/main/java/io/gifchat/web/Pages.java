package io.gifchat.web;

import org.springframework.web.server.ServerWebExchange;

/** What the page controllers share. */
final class Pages {

    private Pages() {
    }

    /** htmx gets HX-Redirect (it then loads the page); a plain form post a redirect. */
    static String redirect(ServerWebExchange exchange, String location) {
        if ("true".equals(exchange.getRequest().getHeaders().getFirst("HX-Request"))) {
            exchange.getResponse().getHeaders().set("HX-Redirect", location);
            return "fragments/empty";
        }
        return "redirect:" + location;
    }
}
