package io.gifchat.broker;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.gifchat.stomp.MessageTemplate;
import io.gifchat.stomp.StompHeaders;
import io.gifchat.stomp.StompVersion;

/**
 * Exact-destination pub/sub (no wildcards, selectors ignored) plus per-identity user queues.
 * A publish encodes the MESSAGE once per distinct subscription id ({@link MessageTemplate}) and hands the same
 * bytes to every subscriber with that id.
 *
 * <p>User destinations: a client subscribes to {@code /user/queue/{name}}; the broker files that under the
 * subscriber's identity, so {@link #sendToUser} reaches every connection (tab) of that identity and nobody else.
 */
public final class Broker {

    public static final String USER_PREFIX = "/user/";

    /**
     * Told when a destination gets its first subscriber on this broker and when its last one goes: a cluster
     * listens to other nodes only for what has subscribers here. Called while the destination's entry is locked,
     * so the calls for one destination come in the order they happened; must be quick and must not block.
     */
    public interface Watcher {
        Watcher NONE = new Watcher() {
            @Override
            public void opened(String key) {
            }

            @Override
            public void closed(String key) {
            }
        };

        /** {@code key}: the destination, or {@link #userKey} of an identity's user destination. */
        void opened(String key);

        void closed(String key);
    }

    private final ConcurrentHashMap<String, Topic> topics = new ConcurrentHashMap<>();
    private final AtomicLong messageIds = new AtomicLong();
    private final Watcher watcher;

    public Broker() {
        this(Watcher.NONE);
    }

    public Broker(Watcher watcher) {
        this.watcher = watcher;
    }

    public Subscription subscribe(Subscriber subscriber, String subscriptionId, String destination) {
        Subscription[] added = new Subscription[1];
        // compute() makes add-versus-remove-of-the-last-one atomic for this key only.
        topics.compute(key(subscriber, destination), (k, topic) -> {
            Topic t = topic == null ? new Topic() : topic;
            if (topic == null) {
                watcher.opened(k);
            }
            added[0] = new Subscription(subscriber, subscriptionId, t.destination(destination));
            t.add(added[0]);
            return t;
        });
        return added[0];
    }

    public void unsubscribe(Subscription subscription) {
        topics.computeIfPresent(key(subscription.subscriber(), subscription.destination()), (k, topic) -> {
            if (topic.remove(subscription)) {
                watcher.closed(k);
                return null;
            }
            return topic;
        });
    }

    /** @return how many subscriptions the message was handed to */
    public int publish(String destination, String contentType, byte[] body) {
        return fanOut(destination, destination, contentType, StompHeaders.EMPTY, body);
    }

    /**
     * A client's SEND relayed: its user-defined headers ({@link StompHeaders#userDefined()}) travel with the body,
     * escaped for each subscriber's version (a 1.0 subscriber goes without those it cannot carry).
     *
     * @return how many subscriptions the message was handed to
     */
    public int publish(String destination, String contentType, StompHeaders userHeaders, byte[] body) {
        return fanOut(destination, destination, contentType, userHeaders, body);
    }

    /** @param queue e.g. {@code /queue/errors}; delivered as {@code /user/queue/errors} to the identity's subscribers */
    public int sendToUser(String user, String queue, String contentType, byte[] body) {
        String destination = "/user" + queue;
        return fanOut(userKey(user, destination), destination, contentType, StompHeaders.EMPTY, body);
    }

    /** Whether anybody here subscribes to this key ({@link Watcher}'s): a destination or a user destination. */
    public boolean isWatched(String key) {
        return topics.containsKey(key);
    }

    public int subscriberCount(String destination) {
        Topic topic = topics.get(destination);
        return topic == null ? 0 : topic.subscriptions().length;
    }

    /** The subscriptions of one destination right now (a snapshot). */
    public List<Subscription> subscriptions(String destination) {
        Topic topic = topics.get(destination);
        return topic == null ? List.of() : List.of(topic.subscriptions());
    }

    private int fanOut(String key, String destination, String contentType, StompHeaders headers, byte[] body) {
        Topic topic = topics.get(key);
        if (topic == null) {
            return 0;
        }
        Subscription[] subscriptions = topic.subscriptions();
        if (subscriptions.length == 0) {
            return 0;
        }
        MessageTemplate message = MessageTemplate.of(destination, Long.toString(messageIds.incrementAndGet(), 36),
                contentType, headers, body);
        // Subscribers differ only by their subscription id (and rarely by version): clients tend to use the same
        // ids ("sub-0"), so most subscribers share one encoded frame, and runs of equal ids need no lookup at all.
        Map<Encoding, byte[]> frames = new HashMap<>();
        boolean text = message.isUtf8();
        StompVersion lastVersion = null;
        String lastId = null;
        byte[] frame = null;
        for (Subscription subscription : subscriptions) {
            Subscriber subscriber = subscription.subscriber();
            StompVersion version = subscriber.version();
            String id = subscription.id();
            if (version != lastVersion || !id.equals(lastId)) {
                frame = frames.computeIfAbsent(new Encoding(version, id), k -> message.encode(id, version));
                lastVersion = version;
                lastId = id;
            }
            subscriber.deliver(frame, text);
        }
        return subscriptions.length;
    }

    /** What makes two subscribers' MESSAGE frames differ. */
    private record Encoding(StompVersion version, String subscriptionId) {
    }

    private static String key(Subscriber subscriber, String destination) {
        return keyOf(subscriber.user(), destination);
    }

    /** The {@link Watcher}'s key of a subscription of {@code user} to {@code destination}. */
    public static String keyOf(String user, String destination) {
        return destination.startsWith(USER_PREFIX) ? userKey(user, destination) : destination;
    }

    /**
     * The key of an identity's user destination ({@code /user/queue/errors}). NUL cannot appear in a destination a
     * client sends (it ends the frame), so user keys never collide with topics.
     */
    public static String userKey(String user, String destination) {
        return "\0" + user + destination;
    }

    /** Whether the key is a {@link #userKey} rather than a destination. */
    public static boolean isUserKey(String key) {
        return !key.isEmpty() && key.charAt(0) == '\0';
    }
}
