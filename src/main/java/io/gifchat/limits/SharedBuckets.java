package io.gifchat.limits;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;

/**
 * The Redis side of one {@link Buckets} in cluster mode: one Redis key per client key, {@code <prefix><key>}, its
 * bucket's state, written by bucket4j's Lettuce proxy manager (compare-and-swap) so that every node spends from the
 * same bucket. Each key expires once its bucket would be full again (set by the proxy manager): an idle key costs
 * Redis nothing after one period. That expiry replaces the in-memory map's bound ({@code maxKeys}, least recently
 * used evicted) in Redis: Redis is bounded by time — the keys that spent within one period — rather than by a count,
 * and no client's bucket is ever evicted early to make room for a flood of new keys.
 * <p>
 * This node keeps one proxy per key it uses (a small object, no state of the bucket) in a map bounded like the
 * in-memory buckets, for bucket4j's batching: while one check of a key is on its way to Redis, the next ones of that
 * key wait and go together in one round trip, and their answers come back in the order they were asked — so one
 * connection's chat messages reach the room's log in the order they were sent, and a burst costs one
 * compare-and-swap instead of many that retry against each other. A proxy evicted from the map only loses that.
 */
final class SharedBuckets {

    private final AsyncProxyManager<byte[]> redis;
    private final String prefix;
    private final BucketConfiguration configuration;
    private final Cache<String, AsyncBucketProxy> proxies;

    SharedBuckets(AsyncProxyManager<byte[]> redis, String prefix, Rate rate, long maxKeys) {
        this.redis = redis;
        this.prefix = prefix;
        this.configuration = BucketConfiguration.builder().addLimit(Buckets.bandwidth(rate)).build();
        this.proxies = Caffeine.newBuilder()
                .expireAfterAccess(rate.per())
                .maximumSize(maxKeys)
                .executor(Runnable::run)
                .build();
    }

    /** Bucket4j completes it on Lettuce's I/O thread, or with a failure (Redis down, or slower than the timeout). */
    CompletableFuture<ConsumptionProbe> tryConsume(String key, long amount) {
        return proxy(key).tryConsumeAndReturnRemaining(amount);
    }

    CompletableFuture<Void> forget(String key) {
        proxies.invalidate(key);
        return redis.removeProxy(redisKey(key));
    }

    /**
     * Forgets this node's proxies only: finding the matching keys in Redis would mean scanning all of it. Their
     * buckets expire there within one period, and the keys that are forgotten this way (a deleted room's) are never
     * used again.
     */
    void forgetAll(Predicate<String> keys) {
        proxies.asMap().keySet().removeIf(keys);
    }

    private AsyncBucketProxy proxy(String key) {
        return proxies.get(key, k -> redis.builder()
                .withOptimization(Optimizations.batching())
                .build(redisKey(k), configuration));
    }

    private byte[] redisKey(String key) {
        return (prefix + key).getBytes(StandardCharsets.UTF_8);
    }
}
