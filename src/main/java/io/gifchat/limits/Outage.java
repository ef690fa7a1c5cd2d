package io.gifchat.limits;

import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether Redis answers the budgets' checks, for the log: one warning when it stops, one line when it answers again,
 * however many checks fall back meanwhile (each would otherwise log, thousands a second under load).
 */
final class Outage {

    private static final Logger log = LoggerFactory.getLogger(Outage.class);

    private final AtomicBoolean down = new AtomicBoolean();

    void began(Throwable error) {
        if (down.compareAndSet(false, true)) {
            log.warn("Redis does not answer the budgets' checks ({}): until it does, each node decides with its own "
                    + "buckets, so a client may spend up to a budget on every node", cause(error));
        }
    }

    void over() {
        if (down.get() && down.compareAndSet(true, false)) {
            log.info("Redis answers the budgets' checks again: the buckets are shared by every node again");
        }
    }

    boolean isUnderway() {
        return down.get();
    }

    private static String cause(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.toString();
    }
}
