package io.gifchat.messaging;

import io.gifchat.broker.Subscription;
import io.gifchat.domain.Announcement;

/**
 * What happens to STOMP connections, announced as application events in order per connection: {@link Opened}, then
 * {@link Subscribed}/{@link Unsubscribed} as the client (or the server, on its behalf) subscribes and unsubscribes,
 * then {@link Closed} once, after every remaining subscription was reported as {@link Unsubscribed}. A listener's
 * follow-up work runs before the frame that caused the event is answered (a SUBSCRIBE's RECEIPT follows it); a
 * failing follow-up is logged and affects neither the connection nor the other listeners' work. Listeners must not
 * throw: Spring does not call the listeners after one that does.
 */
public final class ConnectionEvents {

    private ConnectionEvents() {
    }

    /** Base of the connection events: whose connection. */
    public abstract static class ConnectionEvent extends Announcement {
        private final Connection connection;

        ConnectionEvent(Connection connection) {
            this.connection = connection;
        }

        public Connection connection() {
            return connection;
        }

        @Override
        public String toString() {
            return getClass().getSimpleName() + "[" + connection + "]";
        }
    }

    /** Base of the subscription events: which subscription of the connection. */
    public abstract static class SubscriptionEvent extends ConnectionEvent {
        private final Subscription subscription;

        SubscriptionEvent(Connection connection, Subscription subscription) {
            super(connection);
            this.subscription = subscription;
        }

        public Subscription subscription() {
            return subscription;
        }

        @Override
        public String toString() {
            return getClass().getSimpleName() + "[" + connection() + ", " + subscription.destination() + "]";
        }
    }

    /** CONNECTED was sent. */
    public static final class Opened extends ConnectionEvent {
        Opened(Connection connection) {
            super(connection);
        }
    }

    /** A subscription was registered (its destination's policy allowed it). */
    public static final class Subscribed extends SubscriptionEvent {
        Subscribed(Connection connection, Subscription subscription) {
            super(connection, subscription);
        }
    }

    /**
     * A subscription ended: UNSUBSCRIBE, the server ending it (a kick, a deleted room), the connection closing — or
     * an authorized SUBSCRIBE that could not be registered because the connection ended meanwhile, so that what its
     * authorization reserved (a place in a room) is released.
     */
    public static final class Unsubscribed extends SubscriptionEvent {
        Unsubscribed(Connection connection, Subscription subscription) {
            super(connection, subscription);
        }
    }

    /** A CONNECTED connection ended, however it ended; announced once. */
    public static final class Closed extends ConnectionEvent {
        Closed(Connection connection) {
            super(connection);
        }
    }
}
