package io.gifchat.chat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.IntStream;

import io.gifchat.domain.Refusal;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** A room's lane: one job at a time in order, bounded, every wait timed, closing fails what still waits. */
class LaneTest {

    static final Duration WAIT = Duration.ofSeconds(5);
    static final Refusal DELETED = Refusal.of(Refusal.Reason.GONE, "The room was deleted.");

    /** A lane of jobs, each its own batch: the order, bound and timeout tests do not depend on batching. */
    static Lane<Supplier<Mono<String>>, String> jobs(int capacity, Duration timeout, Duration runLimit) {
        return new Lane<>(batch -> batch.get(0).get().map(List::of), capacity, 1, timeout, runLimit);
    }

    static <T> Lane<Supplier<Mono<T>>, T> jobsOf(int capacity, Duration timeout) {
        return new Lane<>(batch -> batch.get(0).get().map(List::of), capacity, 1, timeout, timeout);
    }

    /** A job that runs until its gate opens. */
    static Mono<String> gated(Sinks.Empty<Void> gate, String value, List<String> log) {
        return Mono.defer(() -> {
            log.add("start " + value);
            return gate.asMono().thenReturn(value).doOnNext(v -> log.add("end " + v));
        });
    }

    @Test
    void jobsRunOneAtATimeInSubmissionOrder() {
        Lane<Supplier<Mono<Integer>>, Integer> lane = jobsOf(10_000, WAIT);
        List<Integer> ran = new CopyOnWriteArrayList<>();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        // Each job ends on another thread, later: the next one may start only after it.
        List<Mono<Integer>> answers = IntStream.range(0, 500).mapToObj(n -> lane.submit(() -> Mono.fromCallable(() -> {
                    if (running.incrementAndGet() > 1) {
                        overlaps.incrementAndGet();
                    }
                    ran.add(n);
                    return n;
                })
                .delayElement(Duration.ofMillis(n % 3))
                .doOnNext(x -> running.decrementAndGet())).cache()).toList();
        answers.forEach(Mono::subscribe);

        StepVerifier.create(Flux.concat(answers).collectList())
                .assertNext(values -> assertThat(values).containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList()))
                .expectComplete().verify(Duration.ofSeconds(20));
        assertThat(ran).containsExactlyElementsOf(IntStream.range(0, 500).boxed().toList());
        assertThat(overlaps).as("jobs that ran at the same time").hasValue(0);
    }

    @Test
    void submittersOnManyThreadsAreEachAnsweredOnceAndNeverRunTogether() throws InterruptedException {
        Lane<Supplier<Mono<Integer>>, Integer> lane = jobsOf(10_000, WAIT);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        AtomicInteger answered = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        CountDownLatch done = new CountDownLatch(2_000);
        for (int i = 0; i < 2_000; i++) {
            pool.execute(() -> lane.submit(() -> Mono.fromCallable(() -> {
                        if (running.incrementAndGet() > 1) {
                            overlaps.incrementAndGet();
                        }
                        running.decrementAndGet();
                        return 1;
                    }).subscribeOn(Schedulers.parallel()))
                    .subscribe(v -> {
                        answered.incrementAndGet();
                        done.countDown();
                    }, e -> done.countDown()));
        }
        assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
        pool.shutdown();
        assertThat(answered).hasValue(2_000);
        assertThat(overlaps).hasValue(0);
    }

    @Test
    void aLaneThatIsFullRefusesAtOnceInsteadOfQueueing() {
        Lane<Supplier<Mono<String>>, String> lane = jobs(2, WAIT, WAIT);
        Sinks.Empty<Void> gate = Sinks.empty();
        List<String> log = new CopyOnWriteArrayList<>();
        Mono<String> running = lane.submit(() -> gated(gate, "running", log)).cache();
        running.subscribe();
        Mono<String> first = lane.submit(() -> Mono.just("first")).cache();
        Mono<String> second = lane.submit(() -> Mono.just("second")).cache();
        first.subscribe();
        second.subscribe();

        StepVerifier.create(lane.submit(() -> Mono.just("third")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(Refusal.class)
                        .hasMessage("The room is busy; try again in a moment.")
                        .extracting(r -> ((Refusal) r).reason()).isEqualTo(Refusal.Reason.BUSY))
                .verify(WAIT);

        gate.tryEmitEmpty();
        StepVerifier.create(Flux.concat(running, first, second)).expectNext("running", "first", "second")
                .expectComplete().verify(WAIT);
    }

    @Test
    void aJobThatWaitedLongerThanTheTimeoutIsDroppedWhileTheRunningOneGoesOn() {
        Lane<Supplier<Mono<String>>, String> lane = jobs(10, Duration.ofMillis(200), Duration.ofSeconds(5));
        Sinks.Empty<Void> gate = Sinks.empty();
        List<String> log = new CopyOnWriteArrayList<>();
        Mono<String> slow = lane.submit(() -> gated(gate, "slow", log)).cache();
        slow.subscribe(v -> { }, e -> { });

        StepVerifier.create(lane.submit(() -> Mono.fromRunnable(() -> log.add("late job ran")).thenReturn("late")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(Refusal.class)
                        .hasMessage("The room did not answer in time; try again."))
                .verify(WAIT);

        gate.tryEmitEmpty();
        StepVerifier.create(slow).expectNext("slow").expectComplete().verify(WAIT); // running: not timed out
        StepVerifier.create(lane.submit(() -> Mono.just("next"))).expectNext("next").expectComplete().verify(WAIT);
        assertThat(log).containsExactly("start slow", "end slow");
    }

    @Test
    void aJobRunningPastItsLimitIsRefusedAndTheLaneMovesOn() {
        Lane<Supplier<Mono<String>>, String> lane = jobs(10, WAIT, Duration.ofMillis(200));
        Sinks.Empty<Void> never = Sinks.empty();
        List<String> log = new CopyOnWriteArrayList<>();
        Mono<String> hung = lane.submit(() -> gated(never, "hung", log)).cache();
        hung.subscribe(v -> { }, e -> { });

        StepVerifier.create(lane.submit(() -> Mono.just("next"))).expectNext("next").expectComplete().verify(WAIT);
        StepVerifier.create(hung)
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(Refusal.class)
                        .hasMessage("The message could not be confirmed in time; sending it again with the same id is safe.")
                        .extracting(r -> ((Refusal) r).reason()).isEqualTo(Refusal.Reason.BUSY))
                .verify(WAIT);
    }

    @Test
    void closingFailsTheWaitingJobsLetsTheRunningOneFinishAndRefusesNewOnes() {
        Lane<Supplier<Mono<String>>, String> lane = jobs(10, WAIT, WAIT);
        Sinks.Empty<Void> gate = Sinks.empty();
        List<String> log = new CopyOnWriteArrayList<>();
        Mono<String> running = lane.submit(() -> gated(gate, "running", log)).cache();
        running.subscribe(v -> { }, e -> { });
        List<Mono<String>> waiting = IntStream.range(0, 3)
                .mapToObj(i -> lane.submit(() -> Mono.just("waiting " + i)).cache()).toList();
        waiting.forEach(m -> m.subscribe(v -> { }, e -> { }));

        Mono<Void> closed = lane.close(DELETED).cache();
        closed.subscribe();
        for (Mono<String> job : waiting) { // answered at once, while the running job still runs
            StepVerifier.create(job).expectErrorMatches(e -> e == DELETED).verify(Duration.ofSeconds(1));
        }
        StepVerifier.create(lane.submit(() -> Mono.just("new"))).expectErrorMatches(e -> e == DELETED).verify(WAIT);

        gate.tryEmitEmpty();
        StepVerifier.create(running).expectNext("running").expectComplete().verify(WAIT);
        StepVerifier.create(closed).expectComplete().verify(WAIT);
        assertThat(log).containsExactly("start running", "end running");
    }

    /** The running batch shuts its own lane (its room is gone): what waits behind it is answered now, not after it. */
    @Test
    void aBatchThatShutsItsLaneHasTheJobsBehindItAnsweredAtOnceAndNewOnesRefused() {
        Lane<Supplier<Mono<String>>, String> lane = jobs(10, WAIT, WAIT);
        Sinks.Empty<Void> findsItsRoomGone = Sinks.empty();
        Sinks.Empty<Void> gate = Sinks.empty();
        List<String> log = new CopyOnWriteArrayList<>();
        Mono<String> shutting = lane.submit(() -> findsItsRoomGone.asMono()
                .then(Mono.fromRunnable(() -> lane.shut(DELETED)))
                .then(gated(gate, "shutting", log))).cache();
        shutting.subscribe(v -> { }, e -> { });
        List<Mono<String>> waiting = IntStream.range(0, 3).mapToObj(i -> lane.submit(() -> {
            log.add("waiting " + i + " ran");
            return Mono.just("waiting " + i);
        }).cache()).toList();
        waiting.forEach(m -> m.subscribe(v -> { }, e -> { }));
        assertThat(lane.waiting()).isEqualTo(3);

        findsItsRoomGone.tryEmitEmpty();
        for (Mono<String> job : waiting) { // while the shutting batch still runs
            StepVerifier.create(job).expectErrorMatches(e -> e == DELETED).verify(Duration.ofSeconds(1));
        }
        assertThat(lane.isClosed()).isTrue();
        StepVerifier.create(lane.submit(() -> Mono.just("new"))).expectErrorMatches(e -> e == DELETED).verify(WAIT);
        gate.tryEmitEmpty();
        StepVerifier.create(shutting).expectNext("shutting").expectComplete().verify(WAIT);
        assertThat(log).containsExactly("start shutting", "end shutting");
    }

    @Test
    void aFailingJobAnswersItsSenderAndTheLaneGoesOn() {
        Lane<Supplier<Mono<String>>, String> lane = jobs(10, WAIT, WAIT);
        StepVerifier.create(lane.submit(() -> Mono.error(new IllegalStateException("store down"))))
                .expectErrorMessage("store down").verify(WAIT);
        StepVerifier.create(lane.submit(() -> {
            throw new IllegalStateException("thrown while building");
        })).expectErrorMessage("thrown while building").verify(WAIT);
        StepVerifier.create(lane.submit(() -> null)).expectError(NullPointerException.class).verify(WAIT);
        StepVerifier.create(lane.submit(() -> Mono.just("after"))).expectNext("after").expectComplete().verify(WAIT);
    }

    @Test
    void whatQueuedWhileABatchRanGoesIntoTheNextBatchInOrderUpToTheLimit() {
        List<List<Integer>> batches = new CopyOnWriteArrayList<>();
        Sinks.Empty<Void> gate = Sinks.empty();
        Lane<Integer, Integer> lane = new Lane<>(batch -> {
            batches.add(List.copyOf(batch));
            Mono<List<Integer>> answer = Mono.just(batch.stream().map(n -> n * 10).toList());
            return batches.size() == 1 ? gate.asMono().then(answer) : answer;
        }, 1_000, 4, WAIT, WAIT);
        List<Mono<Integer>> answers = IntStream.range(0, 10).mapToObj(n -> lane.submit(n).cache()).toList();
        answers.forEach(Mono::subscribe);

        gate.tryEmitEmpty();
        StepVerifier.create(Flux.concat(answers).collectList())
                .expectNext(IntStream.range(0, 10).map(n -> n * 10).boxed().toList()).expectComplete().verify(WAIT);
        assertThat(batches).containsExactly(List.of(0), List.of(1, 2, 3, 4), List.of(5, 6, 7, 8), List.of(9));
    }

    @Test
    void aFailingBatchAnswersEveryItemInItAndTheNextBatchRuns() {
        Sinks.Empty<Void> gate = Sinks.empty();
        AtomicInteger calls = new AtomicInteger();
        Lane<Integer, Integer> lane = new Lane<>(batch -> switch (calls.incrementAndGet()) {
            case 1 -> gate.asMono().then(Mono.just(List.copyOf(batch)));
            case 2 -> Mono.error(new IllegalStateException("disk full"));
            default -> Mono.just(List.copyOf(batch));
        }, 1_000, 8, WAIT, WAIT);
        Mono<Integer> first = lane.submit(1).cache();
        first.subscribe();
        List<Mono<Integer>> failing = List.of(lane.submit(2).cache(), lane.submit(3).cache());
        failing.forEach(m -> m.subscribe(v -> { }, e -> { }));

        gate.tryEmitEmpty();
        StepVerifier.create(first).expectNext(1).expectComplete().verify(WAIT);
        for (Mono<Integer> m : failing) {
            StepVerifier.create(m).expectErrorMessage("disk full").verify(WAIT);
        }
        StepVerifier.create(lane.submit(4)).expectNext(4).expectComplete().verify(WAIT);
    }

    @Test
    void aBatchThatAnswersTheWrongNumberOfResultsFailsItsItemsInsteadOfMisansweringThem() {
        Lane<Integer, Integer> lane = new Lane<>(batch -> Mono.just(List.of()), 10, 8, WAIT, WAIT);
        StepVerifier.create(lane.submit(1)).expectError(IllegalStateException.class).verify(WAIT);
    }
}
