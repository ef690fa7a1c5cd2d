package io.gifchat.broker;

import java.util.Arrays;

/** One SUBSCRIBE: the connection, its subscription id, the destination as the client named it. */
public record Subscription(Subscriber subscriber, String id, String destination) {

    public static final Subscription[] NONE = {};

    /**
     * Copy-on-write arrays of subscriptions (a destination's, a connection's): readers take the array without a
     * lock, writers replace it under their own monitor.
     */
    public static Subscription[] with(Subscription[] all, Subscription added) {
        Subscription[] next = Arrays.copyOf(all, all.length + 1);
        next[all.length] = added;
        return next;
    }

    /** The array without this exact subscription; the same array when it is not there. */
    public static Subscription[] without(Subscription[] all, Subscription removed) {
        for (int i = 0; i < all.length; i++) {
            if (all[i] == removed) {
                if (all.length == 1) {
                    return NONE;
                }
                Subscription[] next = new Subscription[all.length - 1];
                System.arraycopy(all, 0, next, 0, i);
                System.arraycopy(all, i + 1, next, i, all.length - i - 1);
                return next;
            }
        }
        return all;
    }
}
