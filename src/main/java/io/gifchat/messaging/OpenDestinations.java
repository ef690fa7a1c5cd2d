package io.gifchat.messaging;

import java.util.Set;

import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Plain pub/sub on the destinations listed in {@code gifchat.stomp.open-destinations}: anyone connected. */
@Component
class OpenDestinations implements DestinationPolicy {

    private final Set<String> open;

    OpenDestinations(StompProperties properties) {
        this.open = Set.copyOf(properties.openDestinations());
    }

    @Override
    public boolean covers(String destination) {
        return open.contains(destination);
    }

    @Override
    public Mono<Void> authorizeSubscribe(Connection connection, String destination) {
        return Mono.empty();
    }

    @Override
    public Mono<Void> authorizeSend(Connection connection, String destination) {
        return Mono.empty();
    }
}
