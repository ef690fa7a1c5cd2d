package io.gifchat.web;

import io.gifchat.domain.Refusal;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.reactive.EnableWebFluxSecurity;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter;
import reactor.core.publisher.Mono;

/**
 * App-wide HTTP security. Everyone is anonymous except the administrator, who logs in at {@code /login} to reach
 * {@code /admin} (the account is the admin module's). CSRF protection (Spring Security's default, tokens kept in the
 * WebSession) covers every state-changing request made with the session cookie; pages hand the token to htmx and
 * fetch. Every response carries the Content-Security-Policy: no inline script or style anywhere.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebFluxSecurity
class WebSecurity {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    static final String CSRF_REFUSED = "This request is missing its security token; reload the page and try again.";

    @Bean
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
        return http
                .authorizeExchange(exchange -> exchange
                        .pathMatchers("/admin", "/admin/**").hasRole("ADMIN")
                        .pathMatchers(HttpMethod.DELETE, "/admin/**").hasRole("ADMIN")
                        .anyExchange().permitAll())
                // A missing or stale CSRF token is a refusal like any other: a ProblemDetail for scripts, the error
                // page for a browser (RefusalHandler), instead of Spring Security's plain-text 403.
                .csrf(csrf -> csrf.accessDeniedHandler((exchange, denied) -> Mono.error(Refusal.of(
                        Refusal.Reason.NOT_ALLOWED, CSRF_REFUSED))))
                .formLogin(form -> form.loginPage("/login"))
                .logout(logout -> logout.logoutUrl("/logout"))
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
                        .referrerPolicy(referrer -> referrer.policy(
                                ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy.SAME_ORIGIN)))
                .build();
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }
}
