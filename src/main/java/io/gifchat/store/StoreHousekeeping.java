package io.gifchat.store;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * Runs the embedded file store's housekeeping ({@link StoreFile#keep()}) every second on the commit thread, so it
 * never runs during a group commit and never takes a thread from anyone else. It also makes durable, within a
 * second, what was written without a group commit (rooms, sessions): the store commits nothing by itself.
 * Stops before the store closes (Spring stops lifecycle beans before destroying the store bean).
 */
final class StoreHousekeeping implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StoreHousekeeping.class);
    static final Duration EVERY = Duration.ofSeconds(1);

    private final EmbeddedMongo store;
    private final Scheduler commits;
    private volatile Disposable task;
    private volatile boolean running;

    StoreHousekeeping(EmbeddedMongo store, Scheduler commits) {
        this.store = store;
        this.commits = commits;
    }

    @Override
    public void start() {
        running = true;
        if (!store.isFile()) {
            return; // the memory store keeps no file
        }
        task = commits.schedulePeriodically(this::keep, EVERY.toMillis(), EVERY.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void keep() {
        try {
            store.keep();
        } catch (RuntimeException e) { // a failing disk: say so each time, and try again in a second
            log.error("Embedded store housekeeping failed: {}", e.toString());
        }
    }

    @Override
    public void stop() {
        running = false;
        Disposable t = task;
        task = null;
        if (t != null) {
            t.dispose();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
