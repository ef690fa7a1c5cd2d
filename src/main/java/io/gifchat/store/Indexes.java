package io.gifchat.store;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.MongoPersistentEntityIndexResolver;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * Creates the indexes declared on documents ({@code @CompoundIndex} and friends) once MongoDB answers. Spring Data's
 * own auto-creation fires once at start-up and only logs a stack trace when MongoDB is down; this one waits for
 * MongoDB and retries with backoff, so indexes appear as soon as the database does.
 */
@Component
class Indexes {

    private static final Logger log = LoggerFactory.getLogger(Indexes.class);

    private final ReactiveMongoTemplate mongo;

    Indexes(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    @EventListener(ApplicationReadyEvent.class)
    void createWhenReady() {
        ensure().subscribe();
    }

    Flux<String> ensure() {
        var mappingContext = mongo.getConverter().getMappingContext();
        var resolver = new MongoPersistentEntityIndexResolver(mappingContext);
        return Flux.fromIterable(mappingContext.getPersistentEntities())
                .filter(entity -> entity.isAnnotationPresent(org.springframework.data.mongodb.core.mapping.Document.class))
                .concatMap(entity -> Flux.fromIterable(resolver.resolveIndexFor(entity.getTypeInformation()))
                        .concatMap(index -> mongo.indexOps(entity.getCollection()).createIndex(index.getIndexDefinition())))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(signal -> {
                            if (signal.totalRetries() == 0) {
                                log.warn("Indexes not created yet ({}); retrying until MongoDB answers",
                                        signal.failure().getMessage());
                            }
                        }));
    }
}
