package io.gifchat.room;

import java.time.Clock;

import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** Who gave a locked room's password (or created it): stored, so a reconnect after a restart needs none again. */
@Component
class Admissions {

    private final ReactiveMongoTemplate mongo;
    private final Clock clock;

    Admissions(ReactiveMongoTemplate mongo, Clock clock) {
        this.mongo = mongo;
        this.clock = clock;
    }

    Mono<Void> admit(String room, String identity) {
        return mongo.save(new Admission(Admission.id(room, identity), room, identity, clock.instant())).then();
    }

    Mono<Boolean> isAdmitted(String room, String identity) {
        return mongo.exists(Query.query(Criteria.where("_id").is(Admission.id(room, identity))), Admission.class);
    }

    /** A kicked participant must give a locked room's password again once the ban has run out. */
    Mono<Void> revoke(String room, String identity) {
        return mongo.remove(Query.query(Criteria.where("_id").is(Admission.id(room, identity))), Admission.class).then();
    }

    Mono<Void> forget(String room) {
        return mongo.remove(Query.query(Criteria.where("room").is(room)), Admission.class).then();
    }
}
