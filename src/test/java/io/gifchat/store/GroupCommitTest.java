package io.gifchat.store;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

/** One commit covers everyone who asked while the one before it ran; nobody is answered before a commit of theirs. */
class GroupCommitTest {

    @Test
    void manyCallersShareFewCommitsAndEachIsAnsweredAfterACommitThatStartedAfterItAsked() {
        Scheduler thread = Schedulers.newSingle("test-commit");
        AtomicInteger commits = new AtomicInteger();
        AtomicLong lastCommitStart = new AtomicLong();
        GroupCommit group = new GroupCommit(() -> {
            lastCommitStart.set(System.nanoTime());
            commits.incrementAndGet();
            sleep(5); // a disk sync takes a while: callers pile up meanwhile
        }, thread);
        try {
            List<Mono<Boolean>> callers = IntStream.range(0, 200).mapToObj(i -> Mono.defer(() -> {
                long asked = System.nanoTime();
                return group.flush().then(Mono.fromCallable(() -> lastCommitStart.get() >= asked));
            }).subscribeOn(Schedulers.parallel())).toList();

            StepVerifier.create(Flux.merge(callers).all(coveredByALaterCommit -> coveredByALaterCommit))
                    .expectNext(true).expectComplete().verify(Duration.ofSeconds(20));
            assertThat(commits.get()).isBetween(1, 199);
        } finally {
            thread.dispose();
        }
    }

    @Test
    void aFailingCommitFailsItsCallersAndTheNextCommitRuns() {
        Scheduler thread = Schedulers.newSingle("test-commit");
        AtomicInteger commits = new AtomicInteger();
        GroupCommit group = new GroupCommit(() -> {
            if (commits.incrementAndGet() == 1) {
                throw new IllegalStateException("disk gone");
            }
        }, thread);
        try {
            StepVerifier.create(group.flush()).expectErrorMessage("disk gone").verify(Duration.ofSeconds(5));
            StepVerifier.create(group.flush()).expectComplete().verify(Duration.ofSeconds(5));
        } finally {
            thread.dispose();
        }
    }

    @Test
    void aCommitThatCannotBeScheduledAnymoreFailsItsCallersInsteadOfLeavingThemWaiting() {
        Scheduler thread = Schedulers.newSingle("test-commit");
        thread.dispose();
        GroupCommit group = new GroupCommit(() -> { }, thread);
        StepVerifier.create(group.flush()).expectError().verify(Duration.ofSeconds(5));
        StepVerifier.create(group.flush()).expectError().verify(Duration.ofSeconds(5));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
