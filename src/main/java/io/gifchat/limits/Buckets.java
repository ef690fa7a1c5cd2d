package io.gifchat.limits;

import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import reactor.core.publisher.Mono;

/**
 * Token buckets of one {@link Rate}, one per key (an identity, an address, a room), made by the {@link BucketStore}.
 * Every budget of the app keeps its buckets in one of these.
 * <p>
 * On one node they are in this node's memory: a map that forgets a key one period after it last spent anything —
 * its bucket is full again by then, so forgetting loses nothing — and holds at most {@code maxKeys} keys, so a flood
 * of new keys costs bounded memory (an evicted key starts again with a full bucket: the price of the bound). The
 * answer is there when the returned Mono is subscribed, on the caller's thread.
 * <p>
 * In a cluster they are in Redis ({@link SharedBuckets}), so every node spends from the same bucket, and the answer
 * comes on Lettuce's I/O thread (after a timeout, on the JDK's timer thread): what follows a check must hand its
 * work over, never block (nothing in this app blocks).
 * One key's answers come in the order they were asked. When Redis does not answer — down, or slower than
 * {@code gifchat.limits.shared-timeout} — the check is decided by this node's in-memory bucket for the key instead:
 * availability over exactness. During such an outage a client can spend up to its budget on every node, never more,
 * and no check is refused or hangs because Redis is away (one queued behind a check that waits for the timeout
 * waits at most twice the timeout).
 */
public final class Buckets {

    private final Rate rate;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;
    private final SharedBuckets shared;
    private final Outage outage;

    Buckets(Rate rate, long maxKeys, TimeMeter time) {
        this(rate, maxKeys, time, null, null);
    }

    /** {@code shared} null: this node's memory only. */
    Buckets(Rate rate, long maxKeys, TimeMeter time, SharedBuckets shared, Outage outage) {
        this.rate = rate;
        this.time = time;
        this.shared = shared;
        this.outage = outage;
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(rate.per())
                .maximumSize(maxKeys)
                .executor(Runnable::run) // evictions are cheap: do them in the caller, not on the common pool
                .build();
    }

    /** Spends one of {@code key}'s bucket; false when it is empty. */
    public Mono<Boolean> tryConsume(String key) {
        if (shared == null) {
            return Mono.fromSupplier(() -> bucket(key).tryConsume(1));
        }
        return tryConsume(key, 1).map(ConsumptionProbe::isConsumed);
    }

    /** Spends {@code amount} of {@code key}'s bucket, saying what is left or how long to wait. */
    Mono<ConsumptionProbe> tryConsume(String key, long amount) {
        if (shared == null) {
            return Mono.fromSupplier(() -> bucket(key).tryConsumeAndReturnRemaining(amount));
        }
        // No Reactor timeout on top: bucket4j's request timeout bounds the whole check (its retries too) and fails
        // it in order, behind the earlier checks of the key, so the fallback keeps one key's answers in order.
        return Mono.fromFuture(() -> shared.tryConsume(key, amount), true)
                .doOnNext(answered -> outage.over())
                .onErrorResume(error -> {
                    outage.began(error);
                    return Mono.fromSupplier(() -> bucket(key).tryConsumeAndReturnRemaining(amount));
                });
    }

    /** Forgets what {@code key} spent. */
    Mono<Void> forget(String key) {
        if (shared == null) {
            return Mono.fromRunnable(() -> buckets.invalidate(key));
        }
        return Mono.fromRunnable(() -> buckets.invalidate(key))
                .then(Mono.fromFuture(() -> shared.forget(key), true))
                // Redis away: its bucket expires there within one period anyway.
                .onErrorResume(error -> {
                    outage.began(error);
                    return Mono.empty();
                });
    }

    /**
     * Forgets every key that matches, e.g. all of a deleted room's. In a cluster their buckets in Redis are left to
     * expire, within one period: finding them would mean scanning all of Redis.
     */
    public void forgetAll(Predicate<String> keys) {
        buckets.asMap().keySet().removeIf(keys);
        if (shared != null) {
            shared.forgetAll(keys);
        }
    }

    /**
     * A bucket of this rate owned by the caller rather than kept under a key (one connection's frames). In this
     * node's memory in both modes: a connection lives on one node, so there is nothing to share.
     */
    Bucket detached() {
        return Bucket.builder()
                .addLimit(bandwidth(rate))
                .withCustomTimePrecision(time)
                .build();
    }

    /** How many keys are held in this node's memory now (tests check the bound). */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    /** A bucket of {@code rate}: that much at most, refilling smoothly over its period. */
    static Bandwidth bandwidth(Rate rate) {
        return Bandwidth.builder().capacity(rate.amount()).refillGreedy(rate.amount(), rate.per()).build();
    }

    private Bucket bucket(String key) {
        return buckets.get(key, k -> detached());
    }
}
