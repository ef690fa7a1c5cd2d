package io.gifchat.session;

import org.mongodb.spring.session.ReactiveMongoSessionRepository;
import org.mongodb.spring.session.config.annotation.web.reactive.EnableMongoWebSession;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.config.ReactiveSessionRepositoryCustomizer;
import org.springframework.web.server.session.CookieWebSessionIdResolver;
import org.springframework.web.server.session.WebSessionIdResolver;

@Configuration(proxyBeanMethods = false)
@EnableMongoWebSession(collectionName = SessionProperties.COLLECTION)
class SessionConfiguration {

    @Bean
    ReactiveSessionRepositoryCustomizer<ReactiveMongoSessionRepository> sessionTimeout(SessionProperties properties) {
        // Every session starts short; SessionKeeping and the WebSocket handshake lengthen the ones that are used.
        return repository -> repository.setDefaultMaxInactiveInterval(properties.firstVisitTimeout());
    }

    @Bean
    WebSessionIdResolver webSessionIdResolver(SessionProperties properties) {
        CookieWebSessionIdResolver resolver = new CookieWebSessionIdResolver();
        resolver.setCookieName(properties.cookieName());
        resolver.setCookieMaxAge(properties.timeout());
        resolver.addCookieInitializer(cookie -> cookie.httpOnly(true).sameSite("Lax").path("/"));
        return resolver;
    }
}
