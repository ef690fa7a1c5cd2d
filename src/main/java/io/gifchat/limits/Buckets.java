package io.gifchat.limits;

import java.util.function.Predicate;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;

/**
 * Token buckets of one {@link Rate}, one per key (an identity, an address, a room), in a map that forgets a key one
 * period after it last spent anything — its bucket is full again by then, so forgetting loses nothing — and holds at
 * most {@code maxKeys} keys, so a flood of new keys costs bounded memory (an evicted key starts again with a full
 * bucket: the price of the bound). Every budget of the app keeps its buckets in one of these.
 */
public final class Buckets {

    private final Rate rate;
    private final TimeMeter time;
    private final Cache<String, Bucket> buckets;

    /** Buckets timed by the system clock. */
    public Buckets(Rate rate, long maxKeys) {
        this(rate, maxKeys, TimeMeter.SYSTEM_MILLISECONDS);
    }

    Buckets(Rate rate, long maxKeys, TimeMeter time) {
        this.rate = rate;
        this.time = time;
        this.buckets = Caffeine.newBuilder()
                .expireAfterAccess(rate.per())
                .maximumSize(maxKeys)
                .executor(Runnable::run) // evictions are cheap: do them in the caller, not on the common pool
                .build();
    }

    /** Spends one of {@code key}'s bucket; false when it is empty. */
    public boolean tryConsume(String key) {
        return bucket(key).tryConsume(1);
    }

    /** Spends {@code amount} of {@code key}'s bucket, saying what is left or how long to wait. */
    ConsumptionProbe tryConsume(String key, long amount) {
        return bucket(key).tryConsumeAndReturnRemaining(amount);
    }

    /** Forgets what {@code key} spent. */
    public void forget(String key) {
        buckets.invalidate(key);
    }

    /** Forgets every key that matches, e.g. all of a deleted room's. */
    public void forgetAll(Predicate<String> keys) {
        buckets.asMap().keySet().removeIf(keys);
    }

    /** A bucket of this rate owned by the caller rather than kept under a key (one connection's frames). */
    Bucket detached() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(rate.amount()).refillGreedy(rate.amount(), rate.per()).build())
                .withCustomTimePrecision(time)
                .build();
    }

    /** How many keys are held now (tests check the bound). */
    long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    private Bucket bucket(String key) {
        return buckets.get(key, k -> detached());
    }
}
