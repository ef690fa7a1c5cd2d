package io.gifchat.store;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.MongoPersistentEntityIndexResolver;
import org.springframework.data.mongodb.core.mapping.Document;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.util.retry.Retry;

/**
 * Creates the indexes declared on documents ({@code @CompoundIndex} and friends) once MongoDB answers. Spring Data's
 * own auto-creation fires once at start-up and only logs a stack trace when MongoDB is down; this one is owned by
 * the application's lifecycle: it starts with the context, retries with backoff (1 s up to 30 s) until MongoDB
 * answers, logs one line when it starts waiting and one when the indexes exist, and stops on shutdown.
 */
@Component
class Indexes implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Indexes.class);

    private final ReactiveMongoTemplate mongo;
    private volatile Disposable creating;

    Indexes(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    @Override
    public void start() {
        creating = ensure().count().subscribe(
                count -> log.debug("{} indexes in place", count),
                e -> log.error("Gave up creating indexes", e));
    }

    @Override
    public void stop() {
        Disposable current = creating;
        if (current != null) {
            current.dispose();
        }
        creating = null;
    }

    @Override
    public boolean isRunning() {
        return creating != null;
    }

    Flux<String> ensure() {
        var mappingContext = mongo.getConverter().getMappingContext();
        var resolver = new MongoPersistentEntityIndexResolver(mappingContext);
        boolean[] waited = {false};
        return Flux.fromIterable(mappingContext.getPersistentEntities())
                .filter(entity -> entity.isAnnotationPresent(Document.class))
                .concatMap(entity -> Flux.fromIterable(resolver.resolveIndexFor(entity.getTypeInformation()))
                        .concatMap(index -> mongo.indexOps(entity.getCollection()).createIndex(index.getIndexDefinition())))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(signal -> {
                            if (signal.totalRetries() == 0) {
                                waited[0] = true;
                                log.warn("Indexes not created yet ({}); retrying until MongoDB answers",
                                        signal.failure().getMessage());
                            }
                        }))
                .doOnComplete(() -> {
                    if (waited[0]) {
                        log.info("Indexes created");
                    }
                });
    }
}
