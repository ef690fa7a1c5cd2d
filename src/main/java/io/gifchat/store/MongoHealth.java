package io.gifchat.store;

import org.bson.Document;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * MongoDB health by {@code ping}, which a real MongoDB and the embedded store both answer (Boot's own indicator
 * sends {@code hello}, which the embedded store does not know); it replaces Boot's by taking its bean name.
 * A failed ping is DOWN with the reason and no stack trace ({@link MongoReachability} logs the outage once); the
 * driver reconnects by itself, so the next check after recovery is UP.
 */
@Component("mongoHealthIndicator")
class MongoHealth implements ReactiveHealthIndicator {

    private final ReactiveMongoOperations mongo;

    MongoHealth(ReactiveMongoOperations mongo) {
        this.mongo = mongo;
    }

    @Override
    public Mono<Health> health() {
        return mongo.executeCommand(new Document("ping", 1))
                .map(reply -> Health.up().build())
                .onErrorResume(e -> Mono.just(Health.down().withDetail("error", e.getMessage()).build()));
    }
}
