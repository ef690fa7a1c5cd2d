package io.gifchat.messaging;

import java.util.function.Predicate;

import io.gifchat.broker.Broker;
import io.gifchat.broker.Subscriber;
import io.gifchat.broker.Subscription;
import io.gifchat.domain.Announcer;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where subscriptions end, whoever ends them: the client (UNSUBSCRIBE), the connection closing, or the server
 * (a room deleted, a participant kicked). STOMP has no frame for the last case, so the application tells the client
 * why on a user queue or the topic itself; here the subscription stops, and {@link ConnectionEvents.Unsubscribed}
 * is announced as if the client had sent UNSUBSCRIBE.
 */
@Component
public class Subscriptions {

    private final Broker broker;
    private final Connections connections;
    private final Announcer announcer;

    Subscriptions(Broker broker, Connections connections, Announcer announcer) {
        this.broker = broker;
        this.connections = connections;
        this.announcer = announcer;
    }

    /** Every subscription to exactly this destination, on every connection. */
    public Mono<Void> endAll(String destination) {
        return Flux.fromIterable(broker.subscriptions(destination)).concatMap(this::end).then();
    }

    /** The subscriptions of one identity's connections whose destination matches. */
    public Mono<Void> endFor(String identityId, Predicate<String> destination) {
        return Flux.fromIterable(connections.of(identityId))
                .concatMap(connection -> Flux.fromIterable(connection.currentSubscriptions())
                        .filter(subscription -> destination.test(subscription.destination()))
                        .concatMap(subscription -> end(connection, subscription)))
                .then();
    }

    /** The subscriptions of one connection whose destination matches. */
    public Mono<Void> endOn(Connection connection, Predicate<String> destination) {
        return Flux.fromIterable(connection.currentSubscriptions())
                .filter(subscription -> destination.test(subscription.destination()))
                .concatMap(subscription -> end(connection, subscription))
                .then();
    }

    /** A subscription the connection no longer holds: out of the broker, and announced. */
    Mono<Void> ended(Connection connection, Subscription subscription) {
        broker.unsubscribe(subscription);
        return released(connection, subscription);
    }

    /** Announces the end of a subscription that the broker does not hold (or no longer holds). */
    Mono<Void> released(Connection connection, Subscription subscription) {
        return announcer.announceTolerantly(() -> new ConnectionEvents.Unsubscribed(connection, subscription));
    }

    private Mono<Void> end(Subscription subscription) {
        // The broker knows subscribers only as such; the registry knows them as connections. A subscriber that is
        // no longer registered has ended, and its subscriptions with it.
        Subscriber subscriber = subscription.subscriber();
        for (Connection connection : connections.of(subscriber.user())) {
            if (connection == subscriber) {
                return end(connection, subscription);
            }
        }
        return Mono.empty();
    }

    private Mono<Void> end(Connection connection, Subscription subscription) {
        return connection.remove(subscription) ? ended(connection, subscription) : Mono.empty();
    }
}
