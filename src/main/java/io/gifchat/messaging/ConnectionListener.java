package io.gifchat.messaging;

import io.gifchat.broker.Subscription;
import reactor.core.publisher.Mono;

/**
 * Lifecycle of STOMP connections, for the application (presence, lobby counts). Called in order per connection;
 * a failing listener is logged and does not affect the connection. Implementations should be idempotent:
 * a disconnect may be observed twice (e.g. DISCONNECT frame and then the socket closing).
 */
public interface ConnectionListener {

    default Mono<Void> connected(Connection connection) {
        return Mono.empty();
    }

    default Mono<Void> subscribed(Connection connection, Subscription subscription) {
        return Mono.empty();
    }

    default Mono<Void> unsubscribed(Connection connection, Subscription subscription) {
        return Mono.empty();
    }

    /** After the connection's subscriptions were removed (each also reported as unsubscribed). */
    default Mono<Void> disconnected(Connection connection) {
        return Mono.empty();
    }
}
