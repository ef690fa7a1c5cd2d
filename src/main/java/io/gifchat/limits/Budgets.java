package io.gifchat.limits;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.gifchat.domain.Refusal;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every budget's token buckets, one per key (an identity, a client address, a room). Each budget's map forgets a
 * key that has not spent anything for the budget's period — its bucket would be full again, so forgetting loses
 * nothing — and holds at most {@code tracked-keys} keys, so a flood of new addresses or identities costs bounded
 * memory (an evicted key starts again with a full bucket: the price of the bound). Buckets read the one
 * {@link Clock}, so tests move time instead of waiting.
 */
@Component
public class Budgets {

    private static final Logger log = LoggerFactory.getLogger(Budgets.class);

    private final LimitsProperties properties;
    private final TimeMeter time;
    private final Map<Budget, Cache<String, Bucket>> buckets = new EnumMap<>(Budget.class);

    Budgets(LimitsProperties properties, Clock clock) {
        this.properties = properties;
        this.time = new ClockTime(clock);
        if (!properties.enabled()) {
            log.warn("gifchat.limits.enabled=false: every client budget (frames, subscriptions, handshakes, sessions, "
                    + "rooms, GIF uploads, password and login tries) is OFF. Only for load tests and benchmarks: "
                    + "never expose this server to users like this.");
        }
        for (Budget budget : Budget.values()) {
            buckets.put(budget, Caffeine.newBuilder()
                    .expireAfterAccess(budget.rate(properties).per())
                    .maximumSize(properties.trackedKeys())
                    .executor(Runnable::run) // evictions are cheap: do them in the caller, not on the common pool
                    .build());
        }
    }

    /**
     * Spends {@code amount} of {@code key}'s budget.
     *
     * @throws Refusal {@code TOO_MANY}, with the budget's message and when to retry, if too little is left
     */
    public void spend(Budget budget, String key, long amount) {
        if (!properties.enabled()) {
            return;
        }
        ConsumptionProbe probe = buckets.get(budget).get(key, k -> bucket(budget)).tryConsumeAndReturnRemaining(amount);
        if (!probe.isConsumed()) {
            // More than the whole bucket can never be granted; say how long a full refill takes rather than "never".
            long wait = probe.getNanosToWaitForRefill() == Long.MAX_VALUE
                    ? budget.rate(properties).per().toNanos() : probe.getNanosToWaitForRefill();
            throw Refusal.tooMany(budget.message(), Duration.ofNanos(wait));
        }
    }

    public void spend(Budget budget, String key) {
        spend(budget, key, 1);
    }

    /** Forgets what {@code key} spent, e.g. a deleted room's GIF bytes: nothing of it is kept after it is gone. */
    public void forget(Budget budget, String key) {
        buckets.get(budget).invalidate(key);
    }

    /** A budget for one owner to carry, e.g. a connection's frames: no map, gone with its owner. */
    public Allowance allowance(Budget budget) {
        if (!properties.enabled()) {
            return Allowance.UNLIMITED;
        }
        Bucket bucket = bucket(budget);
        return () -> bucket.tryConsume(1);
    }

    public boolean enabled() {
        return properties.enabled();
    }

    /** How many keys a budget's map holds now (tests check the bound). */
    long tracked(Budget budget) {
        Cache<String, Bucket> cache = buckets.get(budget);
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private Bucket bucket(Budget budget) {
        Rate rate = budget.rate(properties);
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(rate.amount()).refillGreedy(rate.amount(), rate.per()).build())
                .withCustomTimePrecision(time)
                .build();
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
