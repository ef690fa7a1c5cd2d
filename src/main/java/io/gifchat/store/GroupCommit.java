package io.gifchat.store;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;

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
            return mine.asMono();
        });
    }

    /** Takes the waiting callers as one group and commits for them; under the monitor. */
    private void start() {
        running = true;
        Sinks.Empty<Void> group = next;
        next = null;
        scheduler.schedule(() -> {
            try {
                commit.run();
                group.tryEmitEmpty();
            } catch (RuntimeException e) {
                group.tryEmitError(e);
            } finally {
                synchronized (this) {
                    running = false;
                    if (next != null) {
                        start();
                    }
                }
            }
        });
    }
}
