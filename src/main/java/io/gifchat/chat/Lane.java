package io.gifchat.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import io.gifchat.domain.Refusal;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * One room's single writer: items submitted from any thread are handled in submission order, one batch at a time,
 * so what a batch does (take the next seqs, store, publish) happens in the same order for everyone. Whatever has
 * queued while a batch ran goes into the next one, up to {@code maxBatch} items: under load a room stores many lines
 * with one insert and one commit (group commit), and when it is quiet a batch is a single line, with no waiting
 * for company. The batch function answers with one result per item, in order; if it fails, every item of the
 * batch gets the failure.
 * <p>
 * Bounded: at most {@code capacity} items wait; one more is refused at once with {@link Refusal.Reason#BUSY} rather
 * than queued without end. Every wait is bounded: an item that has not started within {@code timeout} is dropped
 * (never run late) and its sender told so, and a batch running longer than the run limit is failed so the lane
 * moves on — its senders are told the outcome is unknown, which is why chat lines carry an idempotency key.
 * Closing the lane (its room was deleted) answers the items still waiting with the given refusal at once and
 * refuses new ones; the batch already running finishes first.
 *
 * @param <I> what is submitted
 * @param <O> the answer for one item
 */
final class Lane<I, O> {

    private static final int QUEUED = 0;
    private static final int RUNNING = 1;
    private static final int CANCELLED = 2;

    // Lock-free and iterable: close() walks it to answer the waiting senders at once.
    private final Queue<Job<I, O>> queue = new ConcurrentLinkedQueue<>();
    /** Items offered and not yet finished; the offer that moves it from 0 starts the runner. */
    private final AtomicInteger pending = new AtomicInteger();
    /** Items waiting in the queue (not the ones running): what the capacity bounds. */
    private final AtomicInteger waiting = new AtomicInteger();
    private final Function<List<I>, Mono<List<O>>> batch;
    private final int capacity;
    private final int maxBatch;
    private final Duration timeout;
    private final Duration runLimit;
    private volatile Refusal closed;

    /** {@code runLimit}: how long one batch may run before it is failed and the lane moves on. */
    Lane(Function<List<I>, Mono<List<O>>> batch, int capacity, int maxBatch, Duration timeout, Duration runLimit) {
        this.batch = batch;
        this.capacity = capacity;
        this.maxBatch = maxBatch;
        this.timeout = timeout;
        this.runLimit = runLimit;
    }

    /** Who waits for an item's answer; told exactly once. */
    interface Reply<O> {
        void success(O value);

        void error(Throwable error);
    }

    /**
     * Handles the item when its turn comes; its result, or a refusal, is the answer: the lane is full, the item
     * waited longer than the timeout for its turn (it is then dropped, never run), its batch ran longer than the run
     * limit (it may or may not have taken effect), or the lane was closed. The item is queued when this is
     * subscribed; a subscriber that cancels before the item's turn has it skipped.
     */
    Mono<O> submit(I item) {
        return Mono.create(sink -> {
            Job<I, O> job = enqueue(item, new Reply<>() {
                @Override
                public void success(O value) {
                    sink.success(value);
                }

                @Override
                public void error(Throwable error) {
                    sink.error(error);
                }
            });
            if (job != null) {
                sink.onCancel(job::cancel);
            }
        });
    }

    /** As {@link #submit}, queued now: the reply is told when the item's batch ends (or it is refused). */
    void offer(I item, Reply<O> reply) {
        enqueue(item, reply);
    }

    /** @return the queued job, or null when refused at once (closed, full) */
    private Job<I, O> enqueue(I item, Reply<O> reply) {
        Refusal gone = closed;
        if (gone != null) {
            reply.error(gone);
            return null;
        }
        if (waiting.incrementAndGet() > capacity) {
            waiting.decrementAndGet();
            reply.error(Refusal.of(Refusal.Reason.BUSY, "The room is busy; try again in a moment."));
            return null;
        }
        Job<I, O> job = new Job<>(item, reply);
        job.expiry = Schedulers.parallel().schedule(job::expire, timeout.toNanos(), TimeUnit.NANOSECONDS);
        offer(job);
        return job;
    }

    /**
     * Refuses new items and fails the waiting ones with {@code reason} at once; completes once the running batch
     * is done (bounded by the run limit).
     */
    Mono<Void> close(Refusal reason) {
        return Mono.<Void>create(sink -> {
            shut(reason);
            // A barrier behind every item already queued: when the runner reaches it, the lane is idle for good.
            offer(new Job<>(null, new Reply<O>() {
                @Override
                public void success(O value) {
                    sink.success();
                }

                @Override
                public void error(Throwable error) {
                    sink.success();
                }
            }));
        }).timeout(runLimit.plus(runLimit), Mono.empty());
    }

    /**
     * Refuses new items and fails the waiting ones with {@code reason} at once, without waiting for the running
     * batch: for the batch itself, which finds the lane's reason to exist gone (its room) and cannot wait for its
     * own end. {@link #close} is this and then the wait.
     */
    void shut(Refusal reason) {
        closed = reason;
        for (Job<I, O> job : queue) {
            job.fail(reason); // the runner skips it when it gets there
        }
    }

    /** Closed (or shut): its room was deleted. */
    boolean isClosed() {
        return closed != null;
    }

    /** Items waiting behind the running batch. */
    int waiting() {
        return waiting.get();
    }

    private void offer(Job<I, O> job) {
        queue.offer(job);
        if (pending.getAndIncrement() == 0) {
            runFromQueue();
        }
    }

    /**
     * Takes what is queued and counted (up to a batch, up to a barrier) and runs it, until a batch goes asynchronous
     * (its end continues the loop) or nothing counted is left. Each entry finds at least one counted item queued.
     */
    private void runFromQueue() {
        for (;;) {
            List<Job<I, O>> jobs = new ArrayList<>(Math.min(maxBatch, 8));
            int polled = 0;
            Job<I, O> barrier = null;
            // Only what is counted: an item is queued before it is counted, so each of these is there, and one
            // queued but not counted yet is left for the offerer's count to bring back here.
            int claimed = pending.get();
            while (polled < claimed && jobs.size() < maxBatch) {
                Job<I, O> job = queue.poll();
                polled++;
                if (job.isBarrier()) {
                    barrier = job;
                    break;
                }
                waiting.decrementAndGet();
                Refusal gone = closed;
                if (gone != null) {
                    job.fail(gone); // offered while the lane was being closed
                } else if (job.begin()) {
                    jobs.add(job);
                }
            }
            int done = polled;
            Job<I, O> after = barrier;
            if (!jobs.isEmpty() && !run(jobs, () -> finished(done, after))) {
                return; // finished() goes on when the batch ends
            }
            if (barrier != null) {
                barrier.succeed(null);
            }
            if (pending.addAndGet(-polled) == 0) {
                return;
            }
        }
    }

    private void finished(int polled, Job<I, O> barrier) {
        if (barrier != null) {
            barrier.succeed(null);
        }
        if (pending.addAndGet(-polled) > 0) {
            runFromQueue();
        }
    }

    /**
     * Subscribes to the batch, answering every sender when it ends; whatever it does, the lane goes on.
     *
     * @return true when it ended before this returned; otherwise {@code onAsyncEnd} runs when it ends
     */
    private boolean run(List<Job<I, O>> jobs, Runnable onAsyncEnd) {
        // 0 running, 1 ended, 2 run() returned first: whoever comes second continues the lane.
        AtomicInteger phase = new AtomicInteger();
        Runnable ended = () -> {
            if (phase.getAndSet(1) == 2) {
                onAsyncEnd.run();
            }
        };
        List<I> items = new ArrayList<>(jobs.size());
        jobs.forEach(job -> items.add(job.item));
        Mono<List<O>> work;
        try {
            work = Objects.requireNonNull(batch.apply(items), "batch");
        } catch (RuntimeException e) {
            work = Mono.error(e);
        }
        try {
            // Errors go to the senders, never nowhere; a Mono's value is always followed by its completion.
            work.timeout(runLimit, Mono.error(() -> Refusal.of(Refusal.Reason.BUSY,
                            "The message could not be confirmed in time; sending it again with the same id is safe.")))
                    .subscribe(
                            results -> answer(jobs, results),
                            error -> {
                                jobs.forEach(job -> job.failWith(error));
                                ended.run();
                            },
                            () -> {
                                // Answered already, unless the batch completed without results: a bug, said so.
                                jobs.forEach(job -> job.failWith(new IllegalStateException("batch gave no results")));
                                ended.run();
                            });
        } catch (Throwable e) {
            jobs.forEach(job -> job.failWith(e));
            return true;
        }
        return !phase.compareAndSet(0, 2);
    }

    private void answer(List<Job<I, O>> jobs, List<O> results) {
        if (results.size() != jobs.size()) {
            IllegalStateException wrong = new IllegalStateException(
                    "batch answered " + results.size() + " results for " + jobs.size() + " items");
            jobs.forEach(job -> job.failWith(wrong));
            return;
        }
        for (int i = 0; i < jobs.size(); i++) {
            jobs.get(i).succeed(results.get(i));
        }
    }

    private static final class Job<I, O> {
        private final I item;
        private final Reply<O> reply;
        private final AtomicInteger state = new AtomicInteger(QUEUED);
        private final AtomicBoolean answered = new AtomicBoolean();
        private volatile Disposable expiry;

        Job(I item, Reply<O> reply) {
            this.item = item;
            this.reply = reply;
        }

        boolean isBarrier() {
            return item == null;
        }

        /** The sender stopped waiting: if still queued, the item is skipped. */
        void cancel() {
            state.compareAndSet(QUEUED, CANCELLED);
        }

        /** Still waiting for its turn after the timeout: dropped, and the sender told so. A running one goes on. */
        void expire() {
            if (state.compareAndSet(QUEUED, CANCELLED)) {
                failWith(Refusal.of(Refusal.Reason.BUSY, "The room did not answer in time; try again."));
            }
        }

        /** @return false when the sender already stopped waiting */
        boolean begin() {
            return state.compareAndSet(QUEUED, RUNNING);
        }

        /** Answers an item that will not run; one already running or answered is left alone. */
        void fail(Refusal reason) {
            if (!isBarrier() && state.compareAndSet(QUEUED, CANCELLED)) {
                failWith(reason);
            }
        }

        void succeed(O value) {
            if (answered.compareAndSet(false, true)) {
                stopExpiry();
                reply.success(value);
            }
        }

        void failWith(Throwable error) {
            if (answered.compareAndSet(false, true)) {
                stopExpiry();
                reply.error(error);
            }
        }

        private void stopExpiry() {
            Disposable timer = expiry;
            if (timer != null) {
                timer.dispose();
            }
        }
    }
}
