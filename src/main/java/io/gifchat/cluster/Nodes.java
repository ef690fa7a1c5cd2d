package io.gifchat.cluster;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

import io.lettuce.core.Range;
import io.lettuce.core.api.StatefulRedisConnection;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * The nodes of the cluster and when each was last heard of: a sorted set in Redis, node id by the time of its last
 * heartbeat. A node not heard of for {@code gifchat.cluster.node-timeout} is dead; whoever first removes it from
 * the set ({@link #bury}) releases what it held. Times are the nodes' clocks, which are assumed to agree to well
 * within the timeout (NTP).
 */
public final class Nodes {

    private final StatefulRedisConnection<byte[], byte[]> redis;
    private final ClusterProperties properties;
    private final Node node;
    private final Clock clock;
    private final byte[] key;
    private final byte[] epochKey;
    private volatile String seenEpoch;

    public Nodes(StatefulRedisConnection<byte[], byte[]> redis, ClusterProperties properties, Node node, Clock clock) {
        this.redis = redis;
        this.properties = properties;
        this.node = node;
        this.clock = clock;
        this.key = properties.key("nodes").getBytes(UTF_8);
        this.epochKey = properties.key("epoch").getBytes(UTF_8);
    }

    public Node self() {
        return node;
    }

    /**
     * This node is alive now. Also reads the cluster's epoch (set by the first node that finds none): when it is not
     * the one this node saw before, Redis lost its data since.
     *
     * @return whether Redis lost its data since the last beat
     */
    public Mono<Boolean> beat() {
        byte[] id = node.id().getBytes(UTF_8);
        // A new random epoch whenever the key is missing, whoever sets it: a Redis that lost its data shows a
        // different epoch to every node, the one that sets it again included.
        return Mono.defer(() -> redis.reactive().zadd(key, (double) clock.millis(), id)
                        .then(redis.reactive().setnx(epochKey, UUID.randomUUID().toString().getBytes(UTF_8))))
                .then(redis.reactive().get(epochKey))
                .map(epoch -> {
                    String now = new String(epoch, UTF_8);
                    String before = seenEpoch;
                    seenEpoch = now;
                    return before != null && !before.equals(now);
                });
    }

    /** The cluster's epoch as this node last read it; null before its first heartbeat. */
    public String epoch() {
        return seenEpoch;
    }

    /** The Redis key of the cluster's epoch. */
    public String epochKey() {
        return new String(epochKey, UTF_8);
    }

    /** This node leaves (a clean shutdown): the others need not wait for the timeout. */
    Mono<Void> leave() {
        return redis.reactive().zrem(key, node.id().getBytes(UTF_8)).then();
    }

    /** Nodes not heard of within the timeout, this one never. */
    public Flux<String> dead() {
        // Read the clock on each subscription: the janitor subscribes to the same Flux on every tick.
        return Flux.defer(() -> {
            double before = clock.millis() - properties.nodeTimeout().toMillis();
            return redis.reactive().zrangebyscore(key, Range.create(Double.NEGATIVE_INFINITY, before));
        }).map(id -> new String(id, UTF_8)).filter(id -> !id.equals(node.id()));
    }

    /** Nodes heard of within the timeout. */
    public Mono<List<String>> live() {
        return Flux.defer(() -> {
            double since = clock.millis() - properties.nodeTimeout().toMillis();
            return redis.reactive().zrangebyscore(key, Range.create(since, Double.POSITIVE_INFINITY));
        }).map(id -> new String(id, UTF_8)).collectList();
    }

    /**
     * Removes a dead node; true for exactly one of the nodes that try at once, which then releases what it held.
     */
    public Mono<Boolean> bury(String deadNode) {
        return redis.reactive().zrem(key, deadNode.getBytes(UTF_8)).map(removed -> removed == 1);
    }
}
