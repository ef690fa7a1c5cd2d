package io.gifchat.limits;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import io.gifchat.domain.Refusal;
import io.github.bucket4j.Bucket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Every budget's token buckets, one {@link Buckets} per budget (at most {@code tracked-keys} keys each in this node's
 * memory), from the {@link BucketStore}: on one node in memory, in a cluster in Redis, so a client's budget is the
 * same whichever node it reaches. A check is a Mono because in a cluster it is a round trip to Redis, which no event
 * loop may wait for; on one node it is decided when subscribed, on the caller's thread, as a plain call would be.
 */
@Component
public class Budgets {

    private static final Logger log = LoggerFactory.getLogger(Budgets.class);

    private final LimitsProperties properties;
    private final Map<Budget, Buckets> buckets = new EnumMap<>(Budget.class);

    Budgets(LimitsProperties properties, BucketStore store) {
        this.properties = properties;
        if (!properties.enabled()) {
            log.warn("gifchat.limits.enabled=false: every client budget (frames, subscriptions, handshakes, sessions, "
                    + "rooms, GIF uploads, password and login tries) is OFF. Only for load tests and benchmarks: "
                    + "never expose this server to users like this.");
        }
        for (Budget budget : Budget.values()) {
            buckets.put(budget, store.buckets(budget.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    budget.rate(properties), properties.trackedKeys()));
        }
    }

    /**
     * Spends {@code amount} of {@code key}'s budget when subscribed; completes empty when it was there.
     *
     * @return an error {@link Refusal} {@code TOO_MANY}, with the budget's message and when to retry, if too little
     *         is left
     */
    public Mono<Void> spend(Budget budget, String key, long amount) {
        if (!properties.enabled()) {
            return Mono.empty();
        }
        return buckets.get(budget).tryConsume(key, amount).<Void>handle((probe, sink) -> {
            if (!probe.isConsumed()) {
                // More than the whole bucket can never be granted; say how long a full refill takes rather than "never".
                long wait = probe.getNanosToWaitForRefill() == Long.MAX_VALUE
                        ? budget.rate(properties).per().toNanos() : probe.getNanosToWaitForRefill();
                sink.error(Refusal.tooMany(budget.message(), Duration.ofNanos(wait)));
            }
        });
    }

    public Mono<Void> spend(Budget budget, String key) {
        return spend(budget, key, 1);
    }

    /** Forgets what {@code key} spent, e.g. a deleted room's GIF bytes: nothing of it is kept after it is gone. */
    public Mono<Void> forget(Budget budget, String key) {
        return buckets.get(budget).forget(key);
    }

    /**
     * A budget for one owner to carry, e.g. a connection's frames: no map, gone with its owner. Always in this node's
     * memory, and synchronous: a connection lives on one node, and its frames are counted as they arrive.
     */
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
}
