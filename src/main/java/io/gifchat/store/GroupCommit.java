package io.gifchat.store;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Durable writes at the speed of the disk, not one sync per write: a commit makes durable everything written before
 * it started, so whoever asks while one is running waits for the next one, which starts as soon as the running one
 * ends and covers every write whose caller asked meanwhile (group commit). One commit runs at a time, on its own
 * scheduler (commits block on the disk).
 */
final class GroupCommit implements StoreDurability {

    private final Runnable commit;
    private final Scheduler scheduler;
    private Sinks.Empty<Void> next; // the commit the callers since the last start wait for; guarded by this
    private boolean running; // guarded by this

    GroupCommit(Runnable commit, Scheduler scheduler) {
        this.commit = commit;
        this.scheduler = scheduler;
    }

    @Override
    public Mono<Void> flush() {
        return Mono.defer(() -> {
            Sinks.Empty<Void> mine;
            synchronized (this) {
                if (next == null) {
                    next = Sinks.empty();
                }
                mine = next;
                if (!running) {
                    start();
                }
            }
            // Callers go on elsewhere: the commit thread only commits, it never runs what follows a commit.
            return mine.asMono().publishOn(Schedulers.parallel());
        });
    }

    /** Starts a commit for whoever waits when it begins; under the monitor. */
    private void start() {
        running = true;
        try {
            scheduler.schedule(this::commitForTheWaiting);
        } catch (RuntimeException rejected) { // the scheduler is gone (shutting down): nobody may wait forever
            running = false;
            Sinks.Empty<Void> group = next;
            next = null;
            group.tryEmitError(rejected);
        }
    }

    private void commitForTheWaiting() {
        Sinks.Empty<Void> group;
        synchronized (this) {
            group = next; // everyone who asked until now, also those who came after the commit was scheduled
            next = null;
        }
        try {
            commit.run();
            group.tryEmitEmpty();
        } catch (Throwable e) {
            group.tryEmitError(e);
        } finally {
            synchronized (this) {
                running = false;
                if (next != null) {
                    start();
                }
            }
        }
    }
}
