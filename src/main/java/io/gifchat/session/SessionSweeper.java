package io.gifchat.session;

import java.time.Clock;
import java.util.Date;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Deletes expired sessions. Spring Session relies on a TTL index on {@code expireAt}, which a real MongoDB enforces
 * but the embedded store does not; sweeping on both is harmless.
 */
@Component
class SessionSweeper {

    private static final Logger log = LoggerFactory.getLogger(SessionSweeper.class);

    private final ReactiveMongoOperations mongo;
    private final Clock clock;

    SessionSweeper(ReactiveMongoOperations mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    /** Spring subscribes to the returned Mono again on every tick: "now" must be taken inside defer. */
    @Scheduled(initialDelayString = "${gifchat.session.sweep-interval:10m}",
            fixedDelayString = "${gifchat.session.sweep-interval:10m}")
    Mono<Long> sweep() {
        return Mono.defer(() -> mongo.remove(Query.query(Criteria.where("expireAt").lt(Date.from(clock.instant()))), SessionProperties.COLLECTION))
                .map(result -> result.getDeletedCount())
                .doOnNext(n -> {
                    if (n > 0) {
                        log.info("Swept {} expired sessions", n);
                    }
                })
                .onErrorResume(e -> {
                    log.warn("Session sweep skipped: {}", e.getMessage());
                    return Mono.empty();
                });
    }
}
