package io.gifchat.admin;

import io.gifchat.limits.Budget;
import io.gifchat.limits.Budgets;
import io.gifchat.limits.ClientAddress;
import org.springframework.core.Ordered;
import org.springframework.http.HttpMethod;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * Login attempts per client address, counted before Spring Security checks the password: guessing the admin
 * password is slow, and a flood of attempts never reaches BCrypt. A spent budget is a refusal (429), mapped by the
 * web module's handler for refusals raised outside controllers.
 */
@Component
class AdminLogins implements WebFilter, Ordered {

    private final Budgets budgets;

    AdminLogins(Budgets budgets) {
        this.budgets = budgets;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getMethod() != HttpMethod.POST || !"/login".equals(exchange.getRequest().getPath().value())) {
            return chain.filter(exchange);
        }
        return budgets.spend(Budget.ADMIN_LOGINS, ClientAddress.key(exchange.getRequest().getRemoteAddress()))
                .then(chain.filter(exchange));
    }

    @Override
    public int getOrder() {
        return -200; // Spring Security's filter chain runs at -100
    }
}
