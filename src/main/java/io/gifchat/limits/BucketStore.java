package io.gifchat.limits;

import java.time.Clock;
import java.time.Duration;

import io.gifchat.cluster.ClusterProperties;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * Where every {@link Buckets} keeps its buckets: this node's memory on one node; Redis, shared by every node, in
 * cluster mode ({@code gifchat.cluster.enabled}), with this node's memory as the fallback when Redis does not answer.
 * The chat rate, the password tries and every {@link Budget} get their buckets here, so one switch moves them all.
 * Buckets read the application's one {@link Clock}, so tests move time instead of waiting.
 */
public final class BucketStore {

    private final TimeMeter time;
    private final AsyncProxyManager<byte[]> redis;
    private final ClusterProperties cluster;
    private final Outage outage;

    private BucketStore(TimeMeter time, AsyncProxyManager<byte[]> redis, ClusterProperties cluster) {
        this.time = time;
        this.redis = redis;
        this.cluster = cluster;
        this.outage = redis == null ? null : new Outage();
    }

    /** One node: never a word to Redis. */
    static BucketStore inMemory(Clock clock) {
        return new BucketStore(new ClockTime(clock), null, null);
    }

    /**
     * Every node's buckets in Redis, on {@code redis} (the cluster's command connection: its client rejects commands
     * while disconnected, so a check fails at once in an outage rather than queueing). A key expires once its
     * bucket is full again ({@code basedOnTimeForRefillingBucketUpToMax}, nothing kept after that): a full bucket
     * and no key are the same to a client, and Redis holds only the keys that spent something within one period.
     * Wait at most {@code timeout} for any check.
     */
    static BucketStore inRedis(StatefulRedisConnection<byte[], byte[]> redis, ClusterProperties cluster, Clock clock,
                               Duration timeout) {
        TimeMeter time = new ClockTime(clock);
        AsyncProxyManager<byte[]> buckets = Bucket4jLettuce.casBasedBuilder(redis)
                .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ZERO))
                .clientClock(time)
                .requestTimeout(timeout)
                .build()
                .asAsync();
        return new BucketStore(time, buckets, cluster);
    }

    /**
     * The buckets called {@code name} (a Redis key segment: {@code <namespace>:bucket:<name>:<key>}), of {@code rate},
     * at most {@code maxKeys} keys in this node's memory.
     */
    public Buckets buckets(String name, Rate rate, long maxKeys) {
        if (redis == null) {
            return new Buckets(rate, maxKeys, time);
        }
        SharedBuckets shared = new SharedBuckets(redis, cluster.key("bucket:" + name + ":"), rate, maxKeys);
        return new Buckets(rate, maxKeys, time, shared, outage);
    }

    /** Whether the buckets are in Redis (cluster mode). */
    boolean isShared() {
        return redis != null;
    }

    /** Bucket time from the application clock (millisecond precision is plenty for budgets of seconds). */
    private record ClockTime(Clock clock) implements TimeMeter {
        @Override
        public long currentTimeNanos() {
            return clock.millis() * 1_000_000L;
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
