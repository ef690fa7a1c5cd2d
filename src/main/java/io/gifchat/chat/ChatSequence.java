package io.gifchat.chat;

import org.bson.Document;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The next {@code seq} of a room: an atomic {@code $inc} on one counter document per room. */
@Component
class ChatSequence {

    static final String COLLECTION = "chat_counters";

    private final ReactiveMongoTemplate mongo;

    ChatSequence(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    Mono<Long> next(String roomId) {
        return mongo.findAndModify(Query.query(Criteria.where("_id").is(roomId)), new Update().inc("seq", 1L),
                        FindAndModifyOptions.options().upsert(true).returnNew(true), Document.class, COLLECTION)
                .map(counter -> ((Number) counter.get("seq")).longValue());
    }

    Mono<Void> forget(String roomId) {
        return mongo.remove(Query.query(Criteria.where("_id").is(roomId)), COLLECTION).then();
    }
}
