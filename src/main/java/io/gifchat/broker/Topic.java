package io.gifchat.broker;

import java.util.Arrays;

/**
 * The subscriptions of one destination. Publishing reads a copy-on-write array without locking; only
 * subscribe/unsubscribe of this one destination take its monitor, so rooms never contend with each other.
 */
final class Topic {

    private static final Subscription[] NONE = new Subscription[0];

    private volatile Subscription[] subscriptions = NONE;

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
        Subscription[] current = subscriptions;
        Subscription[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] = subscription;
        subscriptions = next;
    }

    /** @return whether the topic is now empty */
    synchronized boolean remove(Subscription subscription) {
        Subscription[] current = subscriptions;
        for (int i = 0; i < current.length; i++) {
            if (current[i] == subscription) {
                Subscription[] next = new Subscription[current.length - 1];
                System.arraycopy(current, 0, next, 0, i);
                System.arraycopy(current, i + 1, next, i, current.length - i - 1);
                subscriptions = next;
                break;
            }
        }
        return subscriptions.length == 0;
    }
}
