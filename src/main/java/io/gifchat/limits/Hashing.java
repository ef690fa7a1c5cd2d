package io.gifchat.limits;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;

import io.gifchat.domain.Refusal;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * BCrypt's own bounded pool. A hash costs tens of milliseconds of CPU by design; on the shared boundedElastic pool a
 * flood of password tries would queue up behind and beside everything else that blocks there, including the store
 * commit every RECEIPT waits for. Here at most {@code hashing-threads} hash at once and {@code hashing-queue} wait;
 * one more is refused at once ({@code TOO_MANY}: 429 over HTTP) instead of waiting behind the flood.
 */
@Component
public class Hashing implements DisposableBean {

    private final Scheduler pool;

    Hashing(LimitsProperties properties) {
        this.pool = Schedulers.newBoundedElastic(properties.hashingThreads(), properties.hashingQueue(), "bcrypt", 60, true);
    }

    /** Runs {@code work} on the hashing pool, or fails with a {@code BUSY} refusal when the pool's queue is full. */
    public <T> Mono<T> run(Callable<T> work) {
        return Mono.fromCallable(work).subscribeOn(pool)
                .onErrorMap(RejectedExecutionException.class, full -> Refusal.tooMany(
                        "The server is busy checking passwords; try again in a moment.", Duration.ofSeconds(1)));
    }

    /** For libraries that take a scheduler (Spring Security's login). */
    public Scheduler scheduler() {
        return pool;
    }

    @Override
    public void destroy() {
        pool.dispose();
    }
}
