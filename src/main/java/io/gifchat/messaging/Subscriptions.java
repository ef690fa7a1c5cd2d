package io.gifchat.messaging;

import java.util.function.Predicate;

import io.gifchat.broker.Broker;
import io.gifchat.broker.Subscription;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Ends subscriptions from the server side (a room deleted, a participant kicked). STOMP has no frame for that, so
 * the application tells the client why on a user queue or the topic itself; here the subscriptions simply stop,
 * and listeners hear {@code unsubscribed} as if the client had sent UNSUBSCRIBE.
 */
@Component
public class Subscriptions {

    private final Broker broker;
    private final Connections connections;
    private final Commands commands;

    Subscriptions(Broker broker, Connections connections, Commands commands) {
        this.broker = broker;
        this.connections = connections;
        this.commands = commands;
    }

    /** Every subscription to exactly this destination, on every connection. */
    public Mono<Void> endAll(String destination) {
        return Flux.fromIterable(broker.subscriptions(destination)).concatMap(this::end).then();
    }

    /** The subscriptions of one identity's connections whose destination matches. */
    public Mono<Void> endFor(String identityId, Predicate<String> destination) {
        return Flux.fromIterable(connections.of(identityId))
                .concatMapIterable(Connection::currentSubscriptions)
                .filter(subscription -> destination.test(subscription.destination()))
                .concatMap(this::end)
                .then();
    }

    private Mono<Void> end(Subscription subscription) {
        Connection connection = (Connection) subscription.subscriber();
        return connection.remove(subscription)
                ? commands.unsubscribed(connection, subscription)
                : Mono.empty();
    }
}
