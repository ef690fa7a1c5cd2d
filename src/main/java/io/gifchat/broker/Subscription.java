package io.gifchat.broker;

import io.gifchat.stomp.MessageTemplate;

/**
 * One SUBSCRIBE: the connection, its subscription id, the destination as the client named it, and the
 * {@code subscription:<id>} header line of its MESSAGE frames, encoded once for the subscriber's version.
 */
public record Subscription(Subscriber subscriber, String id, String destination, byte[] line) {

    public Subscription(Subscriber subscriber, String id, String destination) {
        this(subscriber, id, destination, MessageTemplate.subscriptionLine(id, subscriber.version()));
    }
}
