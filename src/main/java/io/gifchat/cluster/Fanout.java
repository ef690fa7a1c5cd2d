package io.gifchat.cluster;

import io.gifchat.stomp.StompHeaders;
import reactor.core.publisher.Mono;

/**
 * Where every message to subscribers goes out: to this node's subscribers and, in a cluster, to every other node's.
 * Nothing here waits for Redis: what cannot reach the other nodes (Redis down) is dropped for them and counted,
 * and their clients recover stored lines through the seq catch-up.
 */
public interface Fanout {

    /**
     * To every subscriber of {@code destination} on every node, with a client's user-defined headers (or none).
     *
     * @return how many subscriptions on this node it was handed to
     */
    int publish(String destination, String contentType, StompHeaders headers, byte[] body);

    /**
     * A message with its place in the destination's order ({@code order}: a room's chat line and its seq). On one
     * node the publisher is the destination's only writer and publishes in order already; in a cluster each node
     * hands the messages of the destination to its {@link Ordering} in whatever order they arrive.
     */
    void publishInOrder(String destination, String contentType, byte[] body, long order);

    /** To every connection of one identity subscribed to {@code /user} + {@code queue}, on every node. */
    void sendToUser(String user, String queue, String contentType, byte[] body);

    /**
     * Completes once what any node publishes to the broker's {@code key} (a destination, or a user destination's
     * key) reaches this node's subscribers; at once on one node, at most {@code gifchat.cluster.subscribe-timeout}
     * in a cluster (then the subscriber gets this node's messages only until Redis confirms).
     */
    Mono<Void> listening(String key);
}
