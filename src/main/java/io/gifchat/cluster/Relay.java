package io.gifchat.cluster;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.gifchat.broker.Broker;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Redis pub/sub between the nodes: one channel per destination (and per identity's user destination) that this
 * node has subscribers for, subscribed when the broker gets the destination's first subscriber and unsubscribed
 * when its last one goes ({@link Broker.Watcher}), so a node with nobody in room R receives nothing of R.
 * <p>
 * Plain {@code PUBLISH}/{@code SUBSCRIBE}, not sharded pub/sub: one Redis (or one primary) carries the load, and a
 * room's lines from several nodes need no shard in common. Sharded pub/sub ({@code SSUBSCRIBE}, Redis 7) pays off
 * on a Redis Cluster, where plain PUBLISH is copied to every shard; moving to it changes the commands here only.
 * <p>
 * Redis down: a publish fails at once (the connection rejects commands while disconnected rather than queueing
 * them, so nothing stale floods out later) and is counted; Lettuce reconnects by itself and subscribes again to
 * the channels it had; a SUBSCRIBE Redis never confirmed is sent again on the next heartbeat ({@link #repair}).
 * <p>
 * One connection carries both the subscriptions and the publishes (RESP3 lets a subscribed connection send any
 * command; the cluster's Redis must be 6 or newer). A node is subscribed to what it publishes, so each publish
 * comes back to it as an echo it discards ({@link #arrived}); on one connection Redis writes that echo and the
 * PUBLISH's reply together, and the node reads both with one wake-up instead of one on each of two connections.
 * <p>
 * The cluster's own channels ({@link #listen}: the {@link Bulletin}'s notices) go through the same connection:
 * what a node publishes reaches every other node in the order it was published, on whichever channel, so a notice
 * posted after a publish to a room is acted on after that publish was delivered.
 */
final class Relay implements Broker.Watcher {

    private static final Logger log = LoggerFactory.getLogger(Relay.class);

    private final ClusterProperties properties;
    private final Node node;
    /** Subscriptions and publishes, both. */
    private final StatefulRedisPubSubConnection<byte[], byte[]> connection;
    /** Channels this node wants, each with Redis's confirmation of the subscription. */
    private final Map<String, CompletableFuture<Void>> channels = new ConcurrentHashMap<>();
    /** The cluster's own channels this node listens to, with what their messages are handed to. */
    private final List<Own> own = new CopyOnWriteArrayList<>();
    private final AtomicLong undelivered = new AtomicLong();
    private volatile Consumer<Envelope> inbound = envelope -> {
    };
    private volatile boolean publishFailing;

    Relay(ClusterProperties properties, Node node, StatefulRedisPubSubConnection<byte[], byte[]> connection) {
        this.properties = properties;
        this.node = node;
        this.connection = connection;
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                for (Own mine : own) {
                    if (Arrays.equals(mine.channel(), channel)) {
                        mine.arrived(message);
                        return;
                    }
                }
                arrived(message);
            }
        });
    }

    /** Where messages from the other nodes go (set once, when the fan-out starts). */
    void onMessage(Consumer<Envelope> handler) {
        this.inbound = handler;
    }

    @Override
    public void opened(String key) {
        String channel = channel(key);
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        channels.put(channel, confirmed);
        subscribe(channel, confirmed);
    }

    @Override
    public void closed(String key) {
        String channel = channel(key);
        channels.remove(channel);
        // Commands on one connection go out in order: an UNSUBSCRIBE then a SUBSCRIBE of the same channel (a quick
        // leave and come back) ends subscribed. A rejected one (Redis down) is put right by repair().
        connection.async().unsubscribe(bytes(channel));
    }

    /** Completes once Redis confirmed this node listens to the key's channel; at once while Redis is unreachable. */
    Mono<Void> listening(String key) {
        return confirmation(channel(key));
    }

    /**
     * Listens to one of the cluster's own channels, {@code <namespace>:<name>}, for as long as the node runs (a
     * destination's channel is never one: theirs are {@code t:} and {@code u:} ones). Like a destination's, it is
     * subscribed again by Lettuce after a reconnect, and by {@link #repair} when Redis never confirmed it.
     */
    void listen(String name, Consumer<byte[]> handler) {
        String channel = properties.key(name);
        own.add(new Own(channel, bytes(channel), handler));
        CompletableFuture<Void> confirmed = new CompletableFuture<>();
        channels.put(channel, confirmed);
        subscribe(channel, confirmed);
    }

    /** As {@link #listening}, for one of the cluster's own channels. */
    Mono<Void> listeningTo(String name) {
        return confirmation(properties.key(name));
    }

    /**
     * Publishes on one of the cluster's own channels, after whatever this node published before; completes with
     * how many nodes listen to it, or fails (at once while Redis is not connected). The caller reports failures:
     * they are not the subscribers' messages that {@link #undelivered} counts.
     */
    CompletionStage<Long> send(String name, byte[] message) {
        if (!connection.isOpen()) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis is not connected"));
        }
        return connection.async().publish(bytes(properties.key(name)), message);
    }

    private Mono<Void> confirmation(String channel) {
        CompletableFuture<Void> confirmed = channels.get(channel);
        if (confirmed == null || confirmed.isDone() || !connection.isOpen()) {
            return Mono.empty();
        }
        return Mono.fromFuture(confirmed, true).timeout(properties.subscribeTimeout())
                .onErrorResume(e -> {
                    log.debug("No confirmation of channel {} from Redis within {}", channel, properties.subscribeTimeout());
                    return Mono.empty();
                });
    }

    void publish(String key, Envelope envelope) {
        if (!connection.isOpen()) {
            failed(null);
            return;
        }
        connection.async().publish(bytes(channel(key)), envelope.encode()).whenComplete((receivers, error) -> {
            if (error != null) {
                failed(error);
            } else if (publishFailing) {
                publishFailing = false;
                log.info("Publishing to the other nodes works again ({} messages did not reach them meanwhile)",
                        undelivered.get());
            }
        });
    }

    /**
     * Subscribes again to the channels Redis never confirmed. (An UNSUBSCRIBE refused while Redis was down leaves a
     * channel Lettuce subscribes again after reconnecting: its messages find no subscriber here, which costs a
     * decode and nothing else, until the destination's next subscriber comes and goes.)
     */
    void repair() {
        if (!connection.isOpen()) {
            return;
        }
        channels.forEach((channel, confirmed) -> {
            if (!confirmed.isDone()) {
                subscribe(channel, confirmed);
            }
        });
    }

    /** Messages that could not be published to the other nodes (Redis down), since the start. */
    long undelivered() {
        return undelivered.get();
    }

    boolean isConnected() {
        return connection.isOpen();
    }

    private void subscribe(String channel, CompletableFuture<Void> confirmed) {
        connection.async().subscribe(bytes(channel)).whenComplete((done, error) -> {
            if (error == null) {
                confirmed.complete(null);
            }
        });
    }

    private void arrived(byte[] message) {
        Envelope envelope;
        try {
            envelope = Envelope.decode(message);
        } catch (IllegalArgumentException e) {
            log.warn("Ignored a message on a cluster channel: {}", e.getMessage());
            return;
        }
        if (node.id().equals(envelope.origin())) {
            return; // this node delivered its own already
        }
        try {
            inbound.accept(envelope);
        } catch (RuntimeException e) {
            log.warn("Delivering a message from node {} to {} failed", envelope.origin(), envelope.destination(), e);
        }
    }

    private void failed(Throwable error) {
        undelivered.incrementAndGet();
        if (!publishFailing) {
            publishFailing = true;
            log.warn("Cannot publish to the other nodes ({}); their subscribers catch up by seq when Redis is back",
                    error == null ? "Redis is not connected" : error.toString());
        }
    }

    /** A broker key's channel: {@code <ns>:t:<destination>}, or {@code <ns>:u:<identity>/user/queue/...}. */
    String channel(String key) {
        return Broker.isUserKey(key) ? properties.key("u:" + key.substring(1)) : properties.key("t:" + key);
    }

    private static byte[] bytes(String channel) {
        return channel.getBytes(StandardCharsets.UTF_8);
    }

    /** One of the cluster's own channels and its handler, which must not throw (what does is logged here). */
    private record Own(String name, byte[] channel, Consumer<byte[]> handler) {
        void arrived(byte[] message) {
            try {
                handler.accept(message);
            } catch (RuntimeException e) {
                log.warn("Handling a message on channel {} failed", name, e);
            }
        }
    }
}
