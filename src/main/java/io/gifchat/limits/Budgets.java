package io.gifchat.limits;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import io.gifchat.domain.Refusal;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Every budget's token buckets, one {@link Buckets} per budget (at most {@code tracked-keys} keys each). Buckets read
 * the one {@link Clock}, so tests move time instead of waiting.
 */
@Component
public class Budgets {

    private static final Logger log = LoggerFactory.getLogger(Budgets.class);

    private final LimitsProperties properties;
    private final Map<Budget, Buckets> buckets = new EnumMap<>(Budget.class);

    Budgets(LimitsProperties properties, Clock clock) {
        this.properties = properties;
        TimeMeter time = new ClockTime(clock);
        if (!properties.enabled()) {
            log.warn("gifchat.limits.enabled=false: every client budget (frames, subscriptions, handshakes, sessions, "
                    + "rooms, GIF uploads, password and login tries) is OFF. Only for load tests and benchmarks: "
                    + "never expose this server to users like this.");
        }
        for (Budget budget : Budget.values()) {
            buckets.put(budget, new Buckets(budget.rate(properties), properties.trackedKeys(), time));
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
        ConsumptionProbe probe = buckets.get(budget).tryConsume(key, amount);
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
        buckets.get(budget).forget(key);
    }

    /** A budget for one owner to carry, e.g. a connection's frames: no map, gone with its owner. */
    public Allowance allowance(Budget budget) {
        if (!properties.enabled()) {
            return Allowance.UNLIMITED;
        }
        Bucket bucket = buckets.get(budget).detached();
        return () -> bucket.tryConsume(1);
    }

    public boolean enabled() {
        return properties.enabled();
    }

    /** How many keys a budget's map holds now (tests check the bound). */
    long tracked(Budget budget) {
        return buckets.get(budget).size();
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
