package io.gifchat.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.data.mongodb.core.ReactiveMongoOperations;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
class SessionSweeperTest {

    @Autowired
    SessionSweeper sweeper;

    @Autowired
    ReactiveMongoOperations mongo;

    @Test
    void sweepDeletesExpiredSessionsAndKeepsLiveOnes() {
        Duration timeout = Duration.ofSeconds(10);
        mongo.insert(new Document("_id", "expired").append("expireAt", Date.from(Instant.now().minusSeconds(60))),
                SessionProperties.COLLECTION).block(timeout);
        mongo.insert(new Document("_id", "live").append("expireAt", Date.from(Instant.now().plusSeconds(3600))),
                SessionProperties.COLLECTION).block(timeout);

        assertThat(sweeper.sweep().block(timeout)).isGreaterThanOrEqualTo(1L);

        Query byId = Query.query(Criteria.where("_id").in("expired", "live"));
        assertThat(mongo.find(byId, Document.class, SessionProperties.COLLECTION).map(d -> d.getString("_id"))
                .collectList().block(timeout)).containsExactly("live");
    }
}
