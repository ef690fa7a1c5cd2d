package io.gifchat.room;

import java.time.Instant;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

@Component
class Admissions {

    private final ReactiveMongoTemplate mongo;

    Admissions(ReactiveMongoTemplate mongo) {
        this.mongo = mongo;
    }

    Mono<Void> admit(String room, String identity) {
        return mongo.save(new Admission(Admission.id(room, identity), room, identity, Instant.now())).then();
    }

    Mono<Boolean> isAdmitted(String room, String identity) {
        return mongo.exists(Query.query(Criteria.where("_id").is(Admission.id(room, identity))), Admission.class);
    }

    Mono<Void> forget(String room) {
        return mongo.remove(Query.query(Criteria.where("room").is(room)), Admission.class).then();
    }
}
