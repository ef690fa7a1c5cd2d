package io.gifchat.messaging;

import java.util.Set;
import java.util.stream.Collectors;

import io.gifchat.broker.Broker;
import io.gifchat.domain.Refusal;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code /user/queue/{name}}: anyone may subscribe to the queues the app sends to
 * ({@code gifchat.stomp.user-queues}), and receives what the application sends to their own identity on every
 * connection (all tabs). Any other name is refused: a subscription keeps its destination, and an 8 KB name nobody
 * ever sends to is memory for nothing. Clients cannot SEND there; only the server does.
 */
@Component
class UserQueues implements DestinationPolicy {

    static final String PREFIX = Broker.USER_PREFIX + "queue/";

    private final Set<String> names;

    UserQueues(StompProperties properties) {
        this.names = Set.copyOf(properties.userQueues());
    }

    @Override
    public boolean covers(String destination) {
        return destination.startsWith(PREFIX) && destination.length() > PREFIX.length()
                && destination.indexOf('/', PREFIX.length()) < 0;
    }

    @Override
    public Mono<Void> authorizeSubscribe(Connection connection, String destination) {
        return names.contains(destination.substring(PREFIX.length())) ? Mono.empty()
                : Mono.error(Refusal.of(Refusal.Reason.NOT_FOUND, "No such queue; the queues are "
                        + names.stream().sorted().map(name -> PREFIX + name).collect(Collectors.joining(", ")) + "."));
    }
}
