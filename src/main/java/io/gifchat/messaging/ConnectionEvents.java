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

    /** CONNECTED was sent. */
    public static final class Opened extends Announcement {
        private final Connection connection;

        Opened(Connection connection) {
            this.connection = connection;
        }

        public Connection connection() {
            return connection;
        }

        @Override
        public String toString() {
            return "Opened[" + connection + "]";
        }
    }

    /** A subscription was registered (its destination's policy allowed it). */
    public static final class Subscribed extends Announcement {
        private final Connection connection;
        private final Subscription subscription;

        Subscribed(Connection connection, Subscription subscription) {
            this.connection = connection;
            this.subscription = subscription;
        }

        public Connection connection() {
            return connection;
        }

        public Subscription subscription() {
            return subscription;
        }

        @Override
        public String toString() {
            return "Subscribed[" + connection + ", " + subscription.destination() + "]";
        }
    }

    /**
     * A subscription ended: UNSUBSCRIBE, the server ending it (a kick, a deleted room), the connection closing — or
     * an authorized SUBSCRIBE that could not be registered because the connection ended meanwhile, so that what its
     * authorization reserved (a place in a room) is released.
     */
    public static final class Unsubscribed extends Announcement {
        private final Connection connection;
        private final Subscription subscription;

        Unsubscribed(Connection connection, Subscription subscription) {
            this.connection = connection;
            this.subscription = subscription;
        }

        public Connection connection() {
            return connection;
        }

        public Subscription subscription() {
            return subscription;
        }

        @Override
        public String toString() {
            return "Unsubscribed[" + connection + ", " + subscription.destination() + "]";
        }
    }

    /** A CONNECTED connection ended, however it ended; announced once. */
    public static final class Closed extends Announcement {
        private final Connection connection;

        Closed(Connection connection) {
            this.connection = connection;
        }

        public Connection connection() {
            return connection;
        }

        @Override
        public String toString() {
            return "Closed[" + connection + "]";
        }
    }
}
