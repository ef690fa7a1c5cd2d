package io.gifchat.room;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gifchat.broker.Broker;
import io.gifchat.cluster.Notice;
import io.gifchat.cluster.NoticeArrived;
import io.gifchat.chat.Chat;
import io.gifchat.domain.Announcer;
import io.gifchat.messaging.RawStompClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;

import static io.gifchat.messaging.StompProtocolTest.header;
import static io.gifchat.room.RoomRulesTest.await;
import static io.gifchat.room.RoomRulesTest.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * This node as node B of a cluster: another node kicked someone or deleted a room (and did the once-only work, the
 * store and the lobby, itself), and its notices arrive here as {@link NoticeArrived} — announced by the test as the
 * bulletin announces them. The connections of this node lose their subscriptions as if their clients had sent
 * UNSUBSCRIBE, the ban is known here without a read of the store, and a deleted room leaves nothing in this node's
 * memory. (The bulletin carrying notices between two nodes on Redis: {@code io.gifchat.cluster.BulletinTest}.)
 * Same properties as {@link DeletedRoomTest}, so the two share one application context.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=0s", "gifchat.rooms.kick-ban=1h", "gifchat.rooms.leave-grace=2s",
        "gifchat.rooms.owner-grace=1h"})
class NoticesFromOtherNodesTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    Announcer announcer;

    @Autowired
    Broker broker;

    @Autowired
    RoomRepository rooms;

    @Autowired
    ReactiveMongoTemplate mongo;

    private final List<RawStompClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(RawStompClient::close);
    }

    @Test
    void aKickOnAnotherNodeEndsTheKickedIdentitysSubscriptionsHereAndItsBanKeepsItOut() {
        Visitor owner = Visitor.arrive(port);
        String room = owner.createRoom("kicked elsewhere", 10, null);
        RawStompClient ownerTab = enter(owner, room);
        assertThat(subscribe(ownerTab, "typing", RoomTopics.typing(room))).startsWith("RECEIPT");
        Visitor guest = Visitor.arrive(port);
        RawStompClient guestTab = enter(guest, room);
        assertThat(subscribe(guestTab, "typing", RoomTopics.typing(room))).startsWith("RECEIPT");
        String guestId = header(guestTab.connectedFrame(), "user-id");

        // What node A's kick posts: the ban first, then the end of the kicked identity's room subscriptions.
        arrives(new Notice.Banned(room, guestId, Instant.now().plus(Duration.ofHours(1))));
        arrives(new Notice.SubscriptionsEnded(guestId, List.of(RoomTopics.room(room), RoomTopics.typing(room))));

        assertThat(subscribers(RoomTopics.room(room))).containsExactly(header(ownerTab.connectedFrame(), "user-id"));
        assertThat(subscribers(RoomTopics.typing(room))).containsExactly(header(ownerTab.connectedFrame(), "user-id"));
        sayIn(guestTab, room, "still here?");
        assertThat(await(guestTab, f -> f.contains("\"type\":\"error\""))).contains("You are not in this room.");
        assertThat(header(enter(guest, room, false), "message")).as("the ban is known here, though nothing stored it")
                .isEqualTo("You were removed from this room.");
        assertThat(mongo.exists(Query.query(Criteria.where("room").is(room)), Ban.class).block(WAIT)).isFalse();
    }

    @Test
    void aBanFromAnotherNodeHoldsInARoomWhoseBansThisNodeHadNotReadYet() {
        Visitor owner = Visitor.arrive(port);
        String room = owner.createRoom("banned before anyone came", 10, null);
        Visitor guest = Visitor.arrive(port);
        String guestId = header(connected(guest).connectedFrame(), "user-id");

        arrives(new Notice.Banned(room, guestId, Instant.now().plus(Duration.ofHours(1))));

        enter(owner, room); // reads the room's stored bans: none, and the one heard of stays
        assertThat(header(enter(guest, room, false), "message")).isEqualTo("You were removed from this room.");
    }

    @Test
    void aRoomDeletedOnAnotherNodeEndsItsSubscriptionsHereAndLeavesNothingInThisNodesMemory() {
        Visitor owner = Visitor.arrive(port);
        String room = owner.createRoom("deleted elsewhere", 10, "sesame");
        Visitor guest = Visitor.arrive(port);
        guest.post("/api/rooms/" + room + "/admission", Map.of("password", "wrong")).expectStatus().isForbidden();
        guest.post("/api/rooms/" + room + "/admission", Map.of("password", "sesame")).expectStatus().isNoContent();
        RawStompClient ownerTab = enter(owner, room);
        RawStompClient guestTab = enter(guest, room);
        assertThat(subscribe(guestTab, "typing", RoomTopics.typing(room))).startsWith("RECEIPT");
        assertThat(subscribe(ownerTab, "typing", RoomTopics.typing(room))).startsWith("RECEIPT");
        for (int i = 0; i < 3; i++) {
            sayIn(guestTab, room, "hello " + i);
            await(guestTab, f -> f.startsWith("RECEIPT"));
        }
        guestTab.send("SEND\ndestination:" + RoomTopics.typing(room) + "\ncontent-type:application/json\n\n{\"typing\":true}\0");
        await(ownerTab, f -> f.contains("\"type\":\"typing\""));
        arrives(new Notice.Banned(room, "someone-kicked-elsewhere", Instant.now().plus(Duration.ofHours(1))));
        ownerTab.send("UNSUBSCRIBE\nid:room\nreceipt:out\n\n\0");
        await(guestTab, f -> f.contains("\"event\":\"exit\"")); // the owner's: its owner-grace runs now
        assertThat(DeletedRoomTest.heldInMemory(context, room)).as("before, the test sees the room in memory").isNotEmpty();

        // Node A deleted it: the room is gone from the store, then its notices arrive here in the order it posted them.
        rooms.deleteById(room).block(WAIT);
        arrives(new Notice.SubscriptionsEnded(null, List.of(RoomTopics.room(room), RoomTopics.typing(room))));
        arrives(new Notice.RoomDeleted(room));

        assertThat(subscribers(RoomTopics.room(room))).isEmpty();
        assertThat(subscribers(RoomTopics.typing(room))).isEmpty();
        sayIn(guestTab, room, "anyone?");
        assertThat(await(guestTab, f -> f.contains("\"type\":\"error\""))).contains("You are not in this room.");
        assertThat(mongo.count(Query.query(Criteria.where("room").is(room)), Chat.class).block(WAIT))
                .as("the lines this node's log stored are removed by it too").isZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(DeletedRoomTest.heldInMemory(context, room)).isEmpty());
    }

    /** What another node posted, arriving here: announced as the bulletin announces it, its work done. */
    private void arrives(Notice notice) {
        announcer.announceTolerantly(() -> new NoticeArrived("node-a", notice)).block(WAIT);
    }

    private List<String> subscribers(String destination) {
        return broker.subscriptions(destination).stream().map(s -> s.subscriber().user()).toList();
    }

    private static void sayIn(RawStompClient tab, String room, String text) {
        tab.send("SEND\ndestination:/app/chat/" + room + "\ncontent-type:application/json\nreceipt:" + UUID.randomUUID()
                + "\n\n{\"chat\":\"" + text + "\",\"clientId\":\"" + UUID.randomUUID() + "\"}\0");
    }

    private RawStompClient connected(Visitor visitor) {
        RawStompClient client = RawStompClient.connected(port, visitor.cookieHeader());
        clients.add(client);
        return client;
    }

    private RawStompClient enter(Visitor visitor, String room) {
        RawStompClient client = connected(visitor);
        assertThat(subscribe(client, "errors", "/user/queue/errors")).startsWith("RECEIPT");
        assertThat(RoomRulesTest.enter(client, room)).startsWith("RECEIPT");
        return client;
    }

    /** The answer to a new connection's SUBSCRIBE to the room: its RECEIPT or ERROR frame. */
    private String enter(Visitor visitor, String room, boolean expectReceipt) {
        String answer = RoomRulesTest.enter(connected(visitor), room);
        assertThat(answer.startsWith("RECEIPT")).isEqualTo(expectReceipt);
        return answer;
    }
}
