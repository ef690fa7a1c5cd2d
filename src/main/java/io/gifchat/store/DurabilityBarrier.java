package io.gifchat.store;

import com.mongodb.WriteConcern;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.UpdateOptions;
import com.mongodb.client.model.Updates;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Mono;

/**
 * Durability on a real MongoDB. Every write is acknowledged once a majority journaled it, so {@link #flush()} has
 * nothing to do. A write found stored by someone else (a retried line whose first attempt was given up on before
 * its acknowledgement came) may not be there yet: a journaled majority write made after finding it covers it,
 * because a replica set's majority-commit point moves along the oplog in order (and a standalone server's journal
 * is written in order), so once this later write is acknowledged every earlier one is as durable. It is one small
 * counter document, written only on that retry path.
 */
final class DurabilityBarrier implements StoreDurability {

    static final String COLLECTION = "durability";

    private final ReactiveMongoTemplate mongo;
    private final WriteConcern durable;

    DurabilityBarrier(ReactiveMongoTemplate mongo, WriteConcern durable) {
        this.mongo = mongo;
        this.durable = durable;
    }

    @Override
    public Mono<Void> flush() {
        return Mono.empty();
    }

    @Override
    public Mono<Void> coverEarlierWrites() {
        return mongo.getCollection(COLLECTION)
                .flatMap(barrier -> Mono.from(barrier.withWriteConcern(durable).updateOne(Filters.eq("_id", "barrier"),
                        Updates.inc("writes", 1L), new UpdateOptions().upsert(true))))
                .then();
    }
}
