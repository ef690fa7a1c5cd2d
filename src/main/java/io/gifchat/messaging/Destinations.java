package io.gifchat.messaging;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.gifchat.stomp.StompFrame;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Routes a destination to what governs it: {@code /app/...} SENDs to the matching {@link AppHandler}; every other
 * SUBSCRIBE and SEND to the first {@link DestinationPolicy} that covers it; nothing covers it → refused.
 */
@Component
class Destinations {

    static final String APP_PREFIX = "/app/";

    private record Route(PathPattern pattern, AppHandler handler) {
    }

    // Resolved on first use: policies and handlers are application services that themselves use the endpoint.
    private final ObjectProvider<DestinationPolicy> policyProvider;
    private final ObjectProvider<AppHandler> handlerProvider;
    private volatile List<DestinationPolicy> policies;
    private volatile List<Route> routes;

    Destinations(ObjectProvider<DestinationPolicy> policies, ObjectProvider<AppHandler> handlers) {
        this.policyProvider = policies;
        this.handlerProvider = handlers;
    }

    private List<Route> routes() {
        List<Route> r = routes;
        if (r == null) {
            PathPatternParser parser = new PathPatternParser();
            routes = r = handlerProvider.orderedStream().map(h -> new Route(parser.parse(h.pattern()), h)).toList();
        }
        return r;
    }

    Mono<Void> authorizeSubscribe(Connection connection, String destination) {
        if (destination.startsWith(APP_PREFIX)) {
            return denied("destination not allowed: " + destination);
        }
        return policy(destination)
                .map(policy -> policy.authorizeSubscribe(connection, destination))
                .orElseGet(() -> denied("destination not allowed: " + destination));
    }

    /** SEND: an application handler, or plain pub/sub where a policy allows it. */
    Mono<Void> send(Connection connection, StompFrame frame, String destination, Mono<Void> publish) {
        if (destination.startsWith(APP_PREFIX)) {
            PathContainer path = PathContainer.parsePath(destination);
            for (Route route : routes()) {
                PathPattern.PathMatchInfo match = route.pattern().matchAndExtract(path);
                if (match != null) {
                    Map<String, String> variables = match.getUriVariables();
                    return route.handler().handle(connection, variables, frame);
                }
            }
            return denied("destination not allowed: " + destination);
        }
        return policy(destination)
                .map(policy -> policy.authorizeSend(connection, destination).then(publish))
                .orElseGet(() -> denied("destination not allowed: " + destination));
    }

    private Optional<DestinationPolicy> policy(String destination) {
        List<DestinationPolicy> p = policies;
        if (p == null) {
            policies = p = policyProvider.orderedStream().toList();
        }
        return p.stream().filter(policy -> policy.covers(destination)).findFirst();
    }

    private static Mono<Void> denied(String message) {
        return Mono.error(new StompDeniedException(message));
    }
}
