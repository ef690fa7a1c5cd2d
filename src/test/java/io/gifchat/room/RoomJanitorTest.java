package io.gifchat.room;

import java.time.Clock;
import java.time.Duration;

import io.gifchat.MovableClock;
import io.gifchat.MovableTime;
import io.gifchat.messaging.RawStompClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import static io.gifchat.messaging.StompProtocolTest.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Empty rooms go after the grace period, and bans once they end, measured on a clock the test moves; the janitor's
 * tick and the bans' pruning are run by hand.
 */
@Import(MovableTime.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=30s", "gifchat.rooms.janitor-interval=1h", "gifchat.rooms.leave-grace=3s"})
class RoomJanitorTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    MovableClock clock;

    @Autowired
    Clock injected;

    @Autowired
    RoomJanitor janitor;

    @Autowired
    Presence presence;

    @Autowired
    Bans bans;

    @Autowired
    ReactiveMongoTemplate mongo;

    static void enter(RawStompClient client, String roomId) {
        client.send("SUBSCRIBE\nid:r\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
        String answer;
        do {
            answer = client.next();
        } while (answer != null && !answer.startsWith("RECEIPT"));
        assertThat(answer).as("entered").isNotNull();
    }

    void sweep() {
        janitor.tick().block(WAIT);
    }

    @Test
    void aRoomNobodyEntersIsDeletedAfterTheGracePeriod() {
        assertThat(injected).isSameAs(clock);
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("never entered", 5, null);

        clock.advance(Duration.ofSeconds(29));
        sweep();
        owner.get("/api/rooms/" + id).expectStatus().isOk();

        clock.advance(Duration.ofSeconds(2));
        sweep();
        owner.get("/api/rooms/" + id).expectStatus().isNotFound();
    }

    @Test
    void refreshingThePageWithinTheGraceKeepsTheRoomAndLeavingForGoodDeletesIt() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("refreshed", 5, null);
        RawStompClient first = RawStompClient.connected(port, owner.cookieHeader());
        enter(first, id);
        String ownerId = header(first.connectedFrame(), "user-id");
        first.close();
        // The exit is announced once the server saw the socket close and the leave-grace passed.
        await().atMost(WAIT).until(() -> !presence.isPresent(id, ownerId).block(WAIT));
        clock.advance(Duration.ofSeconds(4));
        sweep();
        assertThat(owner.get("/api/rooms/" + id).expectBody(RoomView.class).returnResult().getResponseBody()
                .participants()).isZero();

        clock.advance(Duration.ofSeconds(10)); // a page reload takes a moment: within the grace
        RawStompClient again = RawStompClient.connected(port, owner.cookieHeader());
        enter(again, id);
        clock.advance(Duration.ofSeconds(60)); // past the grace measured from the first exit: kept, because re-entered
        sweep();
        owner.get("/api/rooms/" + id).expectStatus().isOk();

        again.close();
        await().atMost(WAIT).until(() -> !presence.isPresent(id, ownerId).block(WAIT));
        clock.advance(Duration.ofSeconds(4));
        sweep();
        assertThat(owner.get("/api/rooms/" + id).expectBody(RoomView.class).returnResult().getResponseBody()
                .participants()).isZero();
        clock.advance(Duration.ofSeconds(29));
        sweep();
        owner.get("/api/rooms/" + id).expectStatus().isOk();
        clock.advance(Duration.ofSeconds(2));
        sweep();
        owner.get("/api/rooms/" + id).expectStatus().isNotFound();
    }

    @Test
    void aKickRevokesTheAdmissionSoALockedRoomNeedsItsPasswordAgainOnceTheBanIsOver() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("locked", 10, "sesame");
        Visitor guest = Visitor.arrive(port);
        guest.post("/api/rooms/" + id + "/admission", java.util.Map.of("password", "sesame")).expectStatus().isNoContent();
        try (RawStompClient guestTab = RawStompClient.connected(port, guest.cookieHeader())) {
            enter(guestTab, id);
            String guestId = header(guestTab.connectedFrame(), "user-id");
            owner.post("/api/rooms/" + id + "/kick/" + guestId, null).expectStatus().isNoContent();
        }

        clock.advance(Duration.ofMinutes(11)); // past gifchat.rooms.kick-ban (10 minutes)

        try (RawStompClient again = RawStompClient.connected(port, guest.cookieHeader())) {
            again.send("SUBSCRIBE\nid:r\ndestination:/topic/chat/" + id + "\nreceipt:in\n\n\0");
            String answer = again.next();
            assertThat(answer).startsWith("ERROR").contains("message:This room needs its password.");
        }
    }

    @Test
    void anEndedBanIsPrunedFromTheStoreAndKeepsNobodyOut() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("pruned", 10, null);
        Visitor guest = Visitor.arrive(port);
        String guestId;
        try (RawStompClient guestTab = RawStompClient.connected(port, guest.cookieHeader())) {
            enter(guestTab, id);
            guestId = header(guestTab.connectedFrame(), "user-id");
            owner.post("/api/rooms/" + id + "/kick/" + guestId, null).expectStatus().isNoContent();
        }
        Query ban = Query.query(Criteria.where("_id").is(id + "/" + guestId));
        assertThat(mongo.exists(ban, "bans").block(WAIT)).as("stored").isTrue();

        clock.advance(Duration.ofMinutes(9)); // within gifchat.rooms.kick-ban (10 minutes)
        bans.prune().block(WAIT);
        assertThat(mongo.exists(ban, "bans").block(WAIT)).as("not ended yet").isTrue();
        guest.get("/room/" + id).expectStatus().isForbidden();

        clock.advance(Duration.ofMinutes(2));
        bans.prune().block(WAIT);

        assertThat(mongo.exists(ban, "bans").block(WAIT)).as("pruned").isFalse();
        guest.get("/room/" + id).expectStatus().isOk();
    }
}
