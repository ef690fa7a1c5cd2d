package io.gifchat.messaging;

import io.gifchat.broker.Broker;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code /user/queue/{name}}: anyone may subscribe, and receives what the application sends to their own identity
 * on every connection (all tabs). Clients cannot SEND there; only the server does.
 */
@Component
class UserQueues implements DestinationPolicy {

    static final String PREFIX = Broker.USER_PREFIX + "queue/";

    @Override
    public boolean covers(String destination) {
        return destination.startsWith(PREFIX) && destination.length() > PREFIX.length()
                && destination.indexOf('/', PREFIX.length()) < 0;
    }

    @Override
    public Mono<Void> authorizeSubscribe(Connection connection, String destination) {
        return Mono.empty();
    }
}
