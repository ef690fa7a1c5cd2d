package io.gifchat.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gifchat.MovableClock;
import io.gifchat.MovableTime;
import io.gifchat.messaging.RawStompClient;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.http.HttpHeaders;

import static io.gifchat.messaging.StompProtocolTest.header;
import static io.gifchat.room.RoomRulesTest.await;
import static io.gifchat.room.RoomRulesTest.enter;
import static io.gifchat.room.RoomRulesTest.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The leave-grace (a reload or a SUBSCRIBE/UNSUBSCRIBE churn announces nothing, and a departed identity reads
 * nothing) and the owner-grace (a reload hands nothing over; the creator owns the room whenever present), on a clock
 * the test moves; the janitor's tick is run by hand.
 */
@Import(MovableTime.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=30s", "gifchat.rooms.janitor-interval=1h", "gifchat.rooms.leave-grace=3s",
        "gifchat.rooms.owner-grace=30s", "gifchat.rooms.kick-ban=1h",
        // The churn test makes 200 subscription changes on one connection to show they coalesce; the budgets on
        // them are LimitsTest's.
        "gifchat.limits.subscription-changes=1000/1m", "gifchat.limits.frames=1000/10s"})
class RoomGraceTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Duration PAST_LEAVE_GRACE = Duration.ofSeconds(4);

    @LocalServerPort
    int port;

    @Autowired
    MovableClock clock;

    @Autowired
    RoomJanitor janitor;

    @Autowired
    Presence presence;

    @Autowired
    ReactiveMongoTemplate mongo;

    final List<RawStompClient> clients = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(RawStompClient::close);
    }

    RawStompClient connect(Visitor visitor) {
        RawStompClient client = RawStompClient.connected(port, visitor == null ? new HttpHeaders() : visitor.cookieHeader());
        clients.add(client);
        return client;
    }

    RawStompClient member(Visitor visitor, String roomId) {
        RawStompClient client = connect(visitor);
        assertThat(enter(client, roomId)).startsWith("RECEIPT");
        return client;
    }

    void tick() {
        janitor.tick().block(WAIT);
    }

    static void unsubscribe(RawStompClient client, String id) {
        client.send("UNSUBSCRIBE\nid:" + id + "\nreceipt:out-" + id + "\n\n\0");
        await(client, f -> f.startsWith("RECEIPT") && f.contains("receipt-id:out-" + id));
    }

    /** The frames a client got until (and with) the first one that matches. */
    static List<String> until(RawStompClient client, java.util.function.Predicate<String> last) {
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String frame = client.next();
            assertThat(frame).as("a matching frame arrived").isNotNull();
            frames.add(frame);
            if (last.test(frame)) {
                return frames;
            }
        }
        throw new AssertionError("no matching frame");
    }

    /** The stored system lines of a room about one person, by event. */
    List<String> systemLines(String roomId, String name, String event) {
        return mongo.find(Query.query(Criteria.where("room").is(roomId).and("type").is("system").and("event").is(event)),
                        Document.class, "chats")
                .map(Document::toJson).filter(json -> json.contains(name)).collectList().block(WAIT);
    }

    String ownerName(Visitor asker, String roomId) {
        return (String) ((Map<?, ?>) asker.get("/api/rooms/" + roomId).expectBody(Map.class).returnResult()
                .getResponseBody().get("owner")).get("name");
    }

    String identityId(Visitor visitor) {
        return header(connect(visitor).connectedFrame(), "user-id");
    }

    @Test
    void aHundredSubscribeUnsubscribeCyclesStoreOneJoinAndAnnounceOneExitOnceTheLeaveGracePassed() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("churned", 10, null);
        RawStompClient watcher = member(owner, id);
        RawStompClient lobby = connect(null);
        assertThat(subscribe(lobby, "lobby", RoomTopics.LOBBY)).startsWith("RECEIPT");
        Visitor churner = Visitor.arrive(port);
        RawStompClient churn = connect(churner);

        for (int i = 0; i < 100; i++) {
            assertThat(subscribe(churn, "c" + i, RoomTopics.room(id))).startsWith("RECEIPT");
            unsubscribe(churn, "c" + i);
        }

        // Markers: a line of the owner's closes the room's frames, a new room the lobby's (delivery is ordered).
        watcher.send("SEND\ndestination:/app/chat/" + id + "\ncontent-type:application/json\n\n{\"chat\":\"marker\"}\0");
        List<String> roomFrames = until(watcher, f -> f.contains("\"chat\":\"marker\""));
        owner.createRoom("lobby marker", 10, null);
        List<String> lobbyFrames = until(lobby, f -> f.contains("\"newRoom\""));
        assertThat(systemLines(id, churner.name(), "join")).hasSize(1);
        assertThat(systemLines(id, churner.name(), "exit")).isEmpty();
        assertThat(roomFrames).filteredOn(f -> f.contains("\"type\":\"system\"")).hasSize(1);
        assertThat(roomFrames).filteredOn(f -> f.contains("\"type\":\"presence\"")).hasSize(1);
        assertThat(lobbyFrames).filteredOn(f -> f.contains("\"updateRoom\"") && f.contains(id)).hasSize(1);

        clock.advance(PAST_LEAVE_GRACE);
        tick();

        assertThat(await(watcher, f -> f.contains("\"event\":\"exit\""))).contains(churner.name() + " left");
        assertThat(await(watcher, f -> f.contains("\"type\":\"presence\""))).doesNotContain(churner.name());
        assertThat(await(lobby, f -> f.contains("\"updateRoom\"") && f.contains(id))).contains("\"participants\":1");
        assertThat(systemLines(id, churner.name(), "exit")).hasSize(1);
        tick();
        assertThat(systemLines(id, churner.name(), "exit")).as("announced once").hasSize(1);
    }

    @Test
    void anIdentityInItsLeaveGraceCannotReadSendOrListButKeepsItsPlace() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("left, not gone", 2, null);
        member(owner, id);
        Visitor leaver = Visitor.arrive(port);
        RawStompClient tab = connect(leaver);
        assertThat(subscribe(tab, "errors", "/user/queue/errors")).startsWith("RECEIPT");
        assertThat(enter(tab, id)).startsWith("RECEIPT");
        leaver.get("/api/rooms/" + id + "/chats").expectStatus().isOk();

        unsubscribe(tab, "room");

        leaver.get("/api/rooms/" + id + "/chats").expectStatus().isForbidden();
        leaver.get("/api/rooms/" + id + "/participants").expectStatus().isForbidden();
        tab.send("SEND\ndestination:/app/chat/" + id + "\ncontent-type:application/json\n\n{\"chat\":\"still here?\"}\0");
        assertThat(await(tab, f -> f.contains("\"type\":\"error\""))).contains("You are not in this room.");
        tab.send("SEND\ndestination:" + RoomTopics.typing(id) + "\n\n{}\0");
        assertThat(header(await(tab, f -> f.startsWith("ERROR")), "message")).isEqualTo("You are not in this room.");
        Visitor latecomer = Visitor.arrive(port);
        assertThat(header(enter(connect(latecomer), id), "message")).as("the place is still held")
                .isEqualTo("The room is full.");

        clock.advance(PAST_LEAVE_GRACE);
        tick();

        assertThat(enter(connect(latecomer), id)).startsWith("RECEIPT");
    }

    @Test
    void aKickEndsAPendingLeaveAtOnceAndNoExitFollows() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("kicked while away", 10, null);
        RawStompClient ownerTab = member(owner, id);
        Visitor guest = Visitor.arrive(port);
        String guestId = identityId(guest);
        RawStompClient guestTab = member(guest, id);
        unsubscribe(guestTab, "room");

        owner.post("/api/rooms/" + id + "/kick/" + guestId, null).expectStatus().isNoContent();

        assertThat(await(ownerTab, f -> f.contains("\"event\":\"kick\""))).contains(guest.name());
        assertThat(presence.count(id).block(WAIT)).isEqualTo(1);
        assertThat(header(enter(guestTab, id), "message")).isEqualTo("You were removed from this room.");
        clock.advance(PAST_LEAVE_GRACE);
        tick();
        assertThat(systemLines(id, guest.name(), "exit")).isEmpty();
    }

    @Test
    void anEarlyJoinerCannotKickOrDeleteAsOwnerWhileTheCreatorReloads() {
        Visitor creator = Visitor.arrive(port);
        String id = creator.createRoom("mine", 10, null);
        String creatorId = identityId(creator);
        RawStompClient creatorTab = member(creator, id);
        Visitor early = Visitor.arrive(port);
        member(early, id);
        Visitor other = Visitor.arrive(port);
        String otherId = identityId(other);
        member(other, id);

        creatorTab.close(); // a reload, or the network dropping for a moment
        await().atMost(WAIT).until(() -> !presence.isPresent(id, creatorId).block(WAIT));

        early.post("/api/rooms/" + id + "/kick/" + otherId, null).expectStatus().isForbidden();
        early.delete("/api/rooms/" + id).expectStatus().isForbidden();
        clock.advance(PAST_LEAVE_GRACE); // the exit is announced; the room is still the creator's
        tick();
        assertThat(systemLines(id, creator.name(), "exit")).hasSize(1);
        early.post("/api/rooms/" + id + "/kick/" + otherId, null).expectStatus().isForbidden();
        early.delete("/api/rooms/" + id).expectStatus().isForbidden();
        assertThat(ownerName(early, id)).isEqualTo(creator.name());

        clock.advance(Duration.ofSeconds(20)); // back within the owner-grace
        tick();
        member(creator, id);
        clock.advance(Duration.ofMinutes(1));
        tick();
        assertThat(ownerName(early, id)).isEqualTo(creator.name());
        assertThat(systemLines(id, early.name(), "owner")).isEmpty();
    }

    @Test
    void anOwnerWhoStaysAwayHandsTheRoomToTheLongestPresentAndTheCreatorTakesItBackOnReturn() {
        Visitor creator = Visitor.arrive(port);
        String id = creator.createRoom("handed over", 10, null);
        String creatorId = identityId(creator);
        RawStompClient creatorTab = member(creator, id);
        Visitor early = Visitor.arrive(port);
        member(early, id);
        Visitor other = Visitor.arrive(port);
        RawStompClient otherTab = member(other, id);
        RawStompClient lobby = connect(null);
        assertThat(subscribe(lobby, "lobby", RoomTopics.LOBBY)).startsWith("RECEIPT");

        unsubscribe(creatorTab, "room");
        clock.advance(PAST_LEAVE_GRACE);
        tick();
        clock.advance(Duration.ofSeconds(25)); // 29 s after it left: within the owner-grace
        tick();
        assertThat(ownerName(early, id)).isEqualTo(creator.name());
        clock.advance(Duration.ofSeconds(2));
        tick();

        assertThat(await(otherTab, f -> f.contains("\"event\":\"owner\""))).contains(early.name() + " is now the owner");
        assertThat(await(lobby, f -> f.contains("\"updateRoom\"") && f.contains(early.name()))).contains(id);
        assertThat(ownerName(early, id)).isEqualTo(early.name());

        assertThat(enter(creatorTab, id)).startsWith("RECEIPT");

        assertThat(await(otherTab, f -> f.contains("\"event\":\"owner\""))).contains(creator.name() + " is now the owner");
        assertThat(await(otherTab, f -> f.contains("\"type\":\"presence\""))).contains("\"owner\":{\"id\":\"" + creatorId);
        assertThat(ownerName(early, id)).isEqualTo(creator.name());
        early.post("/api/rooms/" + id + "/kick/" + creatorId, null).expectStatus().isForbidden();
    }
}
