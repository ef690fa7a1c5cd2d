package io.gifchat.messaging;

import java.util.List;
import java.util.function.Predicate;

import io.gifchat.broker.Broker;
import io.gifchat.broker.Subscriber;
import io.gifchat.broker.Subscription;
import io.gifchat.cluster.Bulletin;
import io.gifchat.cluster.Notice;
import io.gifchat.cluster.NoticeArrived;
import io.gifchat.domain.Announcer;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where subscriptions end, whoever ends them: the client (UNSUBSCRIBE), the connection closing, or the server
 * (a room deleted, a participant kicked). STOMP has no frame for the last case, so the application tells the client
 * why on a user queue or the topic itself; here the subscription stops, and {@link ConnectionEvents.Unsubscribed}
 * is announced as if the client had sent UNSUBSCRIBE.
 * <p>
 * The server's endings ({@link #endAll}, {@link #endFor}) reach every node: they name their destinations, so that
 * they travel as a {@link Notice.SubscriptionsEnded} on the {@link Bulletin}, and each other node ends its own
 * connections' subscriptions and announces the same events there. The returned Mono completes once this node's
 * are ended; the others' follow as the notice reaches them.
 */
@Component
public class Subscriptions {

    private final Broker broker;
    private final Connections connections;
    private final Announcer announcer;
    private final Bulletin bulletin;

    Subscriptions(Broker broker, Connections connections, Announcer announcer, Bulletin bulletin) {
        this.broker = broker;
        this.connections = connections;
        this.announcer = announcer;
        this.bulletin = bulletin;
    }

    /** Every subscription to exactly these destinations, on every connection of every node. */
    public Mono<Void> endAll(String... destinations) {
        return Mono.defer(() -> {
            List<String> ended = List.of(destinations);
            bulletin.post(new Notice.SubscriptionsEnded(null, ended));
            return endAllHere(ended);
        });
    }

    /** The subscriptions of one identity's connections, on every node, to exactly these destinations. */
    public Mono<Void> endFor(String identityId, String... destinations) {
        return Mono.defer(() -> {
            List<String> ended = List.of(destinations);
            bulletin.post(new Notice.SubscriptionsEnded(identityId, ended));
            return endForHere(identityId, ended);
        });
    }

    /** The subscriptions of one connection (on its own node, where the connection is) whose destination matches. */
    public Mono<Void> endOn(Connection connection, Predicate<String> destination) {
        return Flux.fromIterable(connection.currentSubscriptions())
                .filter(subscription -> destination.test(subscription.destination()))
                .concatMap(subscription -> end(connection, subscription))
                .then();
    }

    /** Another node ended subscriptions: this node's connections' ones end too. */
    @EventListener
    void on(NoticeArrived event) {
        if (event.notice() instanceof Notice.SubscriptionsEnded ended) {
            event.andThen(Mono.defer(() -> ended.identity() == null
                    ? endAllHere(ended.destinations())
                    : endForHere(ended.identity(), ended.destinations())));
        }
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

    private Mono<Void> endAllHere(List<String> destinations) {
        return Flux.fromIterable(destinations)
                .concatMap(destination -> Flux.fromIterable(broker.subscriptions(destination)).concatMap(this::end))
                .then();
    }

    private Mono<Void> endForHere(String identityId, List<String> destinations) {
        return Flux.fromIterable(connections.of(identityId))
                .concatMap(connection -> Flux.fromIterable(connection.currentSubscriptions())
                        .filter(subscription -> destinations.contains(subscription.destination()))
                        .concatMap(subscription -> end(connection, subscription)))
                .then();
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
