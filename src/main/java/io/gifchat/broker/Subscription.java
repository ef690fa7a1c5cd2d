package io.gifchat.broker;

/** One SUBSCRIBE: the connection, its subscription id, the destination as the client named it. */
public record Subscription(Subscriber subscriber, String id, String destination) {
}
