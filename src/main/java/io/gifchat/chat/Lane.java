package io.gifchat.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.gifchat.domain.Refusal;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * One room's single writer: work submitted from any thread runs one job at a time, in submission order, so what a
 * job does (take the next seq, store, publish) happens in the same order for everyone. Bounded: at most
 * {@code capacity} jobs wait; one more is refused at once with {@link Refusal.Reason#BUSY} rather than queued without
 * end. Every wait is bounded: a job that has not started within {@code timeout} is dropped (never run late) and its
 * sender told so, and a running job that takes longer than the run limit is failed so the lane moves on — its
 * sender is told the outcome is unknown, which is why chat lines carry an idempotency key. Closing the lane (its room was deleted) answers the jobs still waiting with the given refusal at once and
 * refuses new ones; the job already running finishes first.
 */
final class Lane {

    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int CANCELLED = 2;

    // Lock-free and iterable: close() walks it to answer the waiting senders at once.
    private final Queue<Job<?>> queue = new ConcurrentLinkedQueue<>();
    /** Jobs offered and not yet finished; the offer that moves it from 0 starts the runner. */
    private final AtomicInteger pending = new AtomicInteger();
    /** Jobs waiting in the queue (not the one running): what the capacity bounds. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final int capacity;
    private final Duration timeout;
    private final Duration runLimit;
    private volatile Refusal closed;
    private volatile Instant closedAt;

    Lane(int capacity, Duration timeout) {
        this(capacity, timeout, timeout);
    }

    /** {@code runLimit}: how long one job may run before it is failed and the lane moves on. */
    Lane(int capacity, Duration timeout, Duration runLimit) {
        this.capacity = capacity;
        this.timeout = timeout;
        this.runLimit = runLimit;
    }

    /**
     * Runs the work when its turn comes; its result, or a refusal, is the answer: the lane is full, the job waited
     * longer than the timeout for its turn (it is then dropped, never run), it ran longer than the run limit (it
     * may or may not have taken effect), or the lane was closed.
     */
    <T> Mono<T> submit(Supplier<Mono<T>> work) {
        return Mono.create(sink -> {
            Refusal gone = closed;
            if (gone != null) {
                sink.error(gone);
                return;
            }
            if (waiting.incrementAndGet() > capacity) {
                waiting.decrementAndGet();
                sink.error(Refusal.of(Refusal.Reason.BUSY, "The room is busy; try again in a moment."));
                return;
            }
            Job<T> job = new Job<>(work, sink);
            sink.onCancel(job::cancel); // the sender stopped waiting: skip the job if it has not started
            Disposable expiry = Schedulers.parallel().schedule(job::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
            sink.onDispose(expiry);
            offer(job);
        });
    }

    /**
     * Refuses new jobs and fails the waiting ones with {@code reason} at once; completes once the running job is
     * done (bounded by the run limit).
     */
    Mono<Void> close(Refusal reason, Instant now) {
        return Mono.<Void>create(sink -> {
            closedAt = now;
            closed = reason;
            for (Job<?> job : queue) {
                job.fail(reason); // the runner skips it when it gets there
            }
            // A barrier behind every job already queued: when the runner reaches it, the lane is idle for good.
            offer(new Job<>(null, sink));
        }).timeout(runLimit.plus(runLimit), Mono.empty());
    }

    /** Jobs waiting behind the running one. */
    int waiting() {
        return waiting.get();
    }

    /** Null while open. */
    Instant closedAt() {
        return closedAt;
    }

    private void offer(Job<?> job) {
        queue.offer(job);
        if (pending.getAndIncrement() == 0) {
            runFromQueue();
        }
    }

    /** Runs queued jobs until one goes asynchronous (its end continues the loop) or none is left. */
    private void runFromQueue() {
        do {
            Job<?> job = queue.poll();
            if (job.isBarrier()) {
                job.sink.success();
            } else {
                waiting.decrementAndGet();
                Refusal gone = closed;
                if (gone != null) {
                    job.fail(gone); // offered while the lane was being closed
                } else if (job.begin() && !runGuarded(job)) {
                    return; // finished() goes on when the job ends
                }
            }
        } while (pending.decrementAndGet() > 0);
    }

    /** Whatever the job does, the lane goes on: a job that throws instead of failing is answered and counted done. */
    private boolean runGuarded(Job<?> job) {
        try {
            return job.run(runLimit, this::finished);
        } catch (Throwable e) {
            job.sink.error(e);
            return true;
        }
    }

    private void finished() {
        if (pending.decrementAndGet() > 0) {
            runFromQueue();
        }
    }

    private static final class Job<T> {
        private final Supplier<Mono<T>> work;
        private final MonoSink<T> sink;
        private final AtomicInteger state = new AtomicInteger(QUEUED);

        Job(Supplier<Mono<T>> work, MonoSink<T> sink) {
            this.work = work;
            this.sink = sink;
        }

        boolean isBarrier() {
            return work == null;
        }

        /** The sender stopped waiting: if still queued, the job is skipped. */
        void cancel() {
            state.compareAndSet(QUEUED, CANCELLED);
        }

        /** Still waiting for its turn after the timeout: dropped, and the sender told so. A running job goes on. */
        void expire() {
            if (state.compareAndSet(QUEUED, CANCELLED)) {
                sink.error(Refusal.of(Refusal.Reason.BUSY, "The room did not answer in time; try again."));
            }
        }

        /** @return false when the sender already stopped waiting */
        boolean begin() {
            return state.compareAndSet(QUEUED, RUNNING);
        }

        /** Answers a job that will not run; a job already running or answered is left alone. */
        void fail(Refusal reason) {
            if (!isBarrier() && state.compareAndSet(QUEUED, CANCELLED)) {
                sink.error(reason);
            }
        }

        /**
         * Subscribes to the work, answering the sender when it ends.
         *
         * @return true when it ended before this returned; otherwise {@code onAsyncEnd} runs when it ends
         */
        boolean run(Duration limit, Runnable onAsyncEnd) {
            // 0 running, 1 ended, 2 run() returned first: whoever comes second continues the lane.
            AtomicInteger phase = new AtomicInteger();
            Runnable ended = () -> {
                if (phase.getAndSet(1) == 2) {
                    onAsyncEnd.run();
                }
            };
            Mono<T> mono;
            try {
                mono = Objects.requireNonNull(work.get(), "work");
            } catch (RuntimeException e) {
                mono = Mono.error(e);
            }
            // Errors go to the sender, never nowhere; a Mono's value is always followed by its completion.
            mono.timeout(limit, Mono.error(() -> Refusal.of(Refusal.Reason.BUSY,
                            "The message could not be confirmed in time; sending it again with the same id is safe.")))
                    .subscribe(
                    sink::success,
                    error -> {
                        sink.error(error);
                        ended.run();
                    },
                    () -> {
                        sink.success(); // no-op after a value
                        ended.run();
                    });
            return !phase.compareAndSet(0, 2);
        }
    }
}
