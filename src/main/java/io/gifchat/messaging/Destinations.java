package io.gifchat.messaging;

import java.util.List;
import java.util.Optional;

import io.gifchat.stomp.StompFrame;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

/**
 * Routes a destination to what governs it: {@code /app/...} SENDs to the matching {@link AppHandler}; every other
 * SUBSCRIBE and SEND to the first {@link DestinationPolicy} that covers it; nothing covers it → refused.
 * A {@link io.gifchat.domain.Refusal} from a policy ends the connection with an ERROR (STOMP has no other way to
 * refuse a SUBSCRIBE); one from an application handler keeps it open ({@link Commands}).
 */
@Component
class Destinations {

    static final String APP_PREFIX = "/app/";

    private record Route(PathPattern pattern, AppHandler handler) {
    }

    private final List<DestinationPolicy> policies;
    private final List<Route> routes;

    Destinations(List<DestinationPolicy> policies, List<AppHandler> handlers) {
        this.policies = List.copyOf(policies);
        PathPatternParser parser = new PathPatternParser();
        this.routes = handlers.stream().map(h -> new Route(parser.parse(h.pattern()), h)).toList();
    }

    Mono<Void> authorizeSubscribe(Connection connection, String destination) {
        if (destination.startsWith(APP_PREFIX)) {
            return denied("destination not allowed: " + destination);
        }
        return policy(destination)
                .map(policy -> policy.authorizeSubscribe(connection, destination))
                .orElseGet(() -> denied("destination not allowed: " + destination));
    }

    /** A SEND to a policy-governed destination: plain pub/sub where the policy allows it. */
    Mono<Void> send(Connection connection, String destination, Mono<Void> publish) {
        return policy(destination)
                .map(policy -> policy.send(connection, destination, publish))
                .orElseGet(() -> denied("destination not allowed: " + destination));
    }

    /**
     * A SEND to {@code /app/...}: handed to the matching handler, which answers later; whatever it throws is its
     * answer too.
     *
     * @throws StompDeniedException when no handler matches
     */
    Mono<Void> dispatch(Connection connection, StompFrame frame, String destination, AppHandler.Answer answer) {
        PathContainer path = PathContainer.parsePath(destination);
        for (Route route : routes) {
            PathPattern.PathMatchInfo match = route.pattern().matchAndExtract(path);
            if (match != null) {
                AppMessage message = new AppMessage(connection.identity(), match.getUriVariables(), frame.body());
                Mono<Void> handedOver;
                try {
                    handedOver = route.handler().handle(message, answer);
                } catch (Throwable e) { // even an Error is this SEND's answer: nothing may wait for it forever
                    answer.failed(e);
                    return Mono.empty();
                }
                return handedOver.onErrorResume(e -> {
                    answer.failed(e);
                    return Mono.empty();
                });
            }
        }
        throw new StompDeniedException("destination not allowed: " + destination);
    }

    private Optional<DestinationPolicy> policy(String destination) {
        for (DestinationPolicy policy : policies) {
            if (policy.covers(destination)) {
                return Optional.of(policy);
            }
        }
        return Optional.empty();
    }

    private static Mono<Void> denied(String message) {
        return Mono.error(new StompDeniedException(message));
    }
}
