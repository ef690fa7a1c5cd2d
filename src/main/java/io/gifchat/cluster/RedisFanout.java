package io.gifchat.cluster;

import java.util.List;

import io.gifchat.broker.Broker;
import io.gifchat.stomp.StompHeaders;
import reactor.core.publisher.Mono;

/**
 * A cluster's fan-out: this node's subscribers at once, the other nodes through {@link Relay}. A destination with
 * an {@link Ordering} (a room's chat lines) goes through it on every node, this one included: a line of this node
 * and one of another can arrive in either order, and only the orderer knows which comes first.
 */
final class RedisFanout implements Fanout, Broker.Watcher {

    private final Broker broker;
    private final Relay relay;
    private final Node node;
    private final List<Ordering> orderings;

    /** Makes this node's broker, which tells it (and the relay) when a destination gets or loses its subscribers. */
    RedisFanout(Relay relay, Node node, List<Ordering> orderings) {
        this.broker = new Broker(this);
        this.relay = relay;
        this.node = node;
        this.orderings = List.copyOf(orderings);
        relay.onMessage(this::arrived);
    }

    Broker broker() {
        return broker;
    }

    @Override
    public int publish(String destination, String contentType, StompHeaders headers, byte[] body) {
        int here = broker.publish(destination, contentType, headers, body);
        relay.publish(destination, Envelope.topic(node.id(), destination, 0, contentType, headers, body));
        return here;
    }

    @Override
    public void publishInOrder(String destination, String contentType, byte[] body, long order) {
        Ordering ordering = orderingOf(destination);
        if (ordering == null) {
            broker.publish(destination, contentType, body);
        } else if (broker.isWatched(destination)) {
            ordering.arrived(destination, order, contentType, body);
        }
        relay.publish(destination, Envelope.topic(node.id(), destination, order, contentType, StompHeaders.EMPTY, body));
    }

    @Override
    public void sendToUser(String user, String queue, String contentType, byte[] body) {
        broker.sendToUser(user, queue, contentType, body);
        relay.publish(Broker.userKey(user, "/user" + queue), Envelope.toUser(node.id(), user, queue, contentType, body));
    }

    @Override
    public Mono<Void> listening(String key) {
        return relay.listening(key);
    }

    /** The broker's first subscriber of a destination: Redis is asked for its channel, its orderer starts here. */
    @Override
    public void opened(String key) {
        relay.opened(key);
        if (!Broker.isUserKey(key)) {
            Ordering ordering = orderingOf(key);
            if (ordering != null) {
                ordering.opened(key, (destination, contentType, body) -> broker.publish(destination, contentType, body));
            }
        }
    }

    @Override
    public void closed(String key) {
        relay.closed(key);
        if (!Broker.isUserKey(key)) {
            Ordering ordering = orderingOf(key);
            if (ordering != null) {
                ordering.closed(key);
            }
        }
    }

    /** A message from another node. */
    private void arrived(Envelope envelope) {
        if (envelope.isForUser()) {
            broker.sendToUser(envelope.user(), envelope.destination(), envelope.contentType(), envelope.body());
            return;
        }
        Ordering ordering = envelope.order() > 0 ? orderingOf(envelope.destination()) : null;
        if (ordering != null) {
            ordering.arrived(envelope.destination(), envelope.order(), envelope.contentType(), envelope.body());
        } else {
            broker.publish(envelope.destination(), envelope.contentType(), envelope.headers(), envelope.body());
        }
    }

    private Ordering orderingOf(String destination) {
        for (Ordering ordering : orderings) {
            if (ordering.orders(destination)) {
                return ordering;
            }
        }
        return null;
    }
}
