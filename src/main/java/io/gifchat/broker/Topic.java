package io.gifchat.broker;

/**
 * The subscriptions of one destination. Publishing reads a copy-on-write array without locking; only
 * subscribe/unsubscribe of this one destination take its monitor, so rooms never contend with each other.
 */
final class Topic {

    private volatile Subscription[] subscriptions = Subscription.NONE;

    Subscription[] subscriptions() {
        return subscriptions;
    }

    /**
     * The destination as the topic's subscriptions already hold it, else the given one: thousands of subscribers
     * of one room then share one string instead of each keeping the copy decoded from its SUBSCRIBE frame.
     */
    String destination(String destination) {
        Subscription[] current = subscriptions;
        return current.length == 0 ? destination : current[0].destination();
    }

    synchronized void add(Subscription subscription) {
        subscriptions = Subscription.with(subscriptions, subscription);
    }

    /** @return whether the topic is now empty */
    synchronized boolean remove(Subscription subscription) {
        subscriptions = Subscription.without(subscriptions, subscription);
        return subscriptions.length == 0;
    }
}
