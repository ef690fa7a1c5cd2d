package io.gifchat.room;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.gifchat.messaging.RawStompClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import static io.gifchat.messaging.StompProtocolTest.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rooms' rules through their real doors: the JSON API with session cookie and CSRF, and STOMP. Exits come after
 * the real leave-grace (1 s here) on the janitor's real tick; the owner-grace is off, so an owner who leaves hands
 * the room over with its exit (the graces on a moved clock: {@link RoomGraceTest}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=0s", "gifchat.rooms.password-attempts=3", "gifchat.rooms.kick-ban=1h",
        "gifchat.rooms.leave-grace=1s", "gifchat.rooms.owner-grace=0s"})
class RoomRulesTest {

    @LocalServerPort
    int port;

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

    /** Subscribes and returns the RECEIPT or the ERROR frame (the joiner's own join message may come first). */
    static String subscribe(RawStompClient client, String id, String destination) {
        client.send("SUBSCRIBE\nid:" + id + "\ndestination:" + destination + "\nreceipt:" + id + "\n\n\0");
        return await(client, f -> f.startsWith("RECEIPT") || f.startsWith("ERROR"));
    }

    static String enter(RawStompClient client, String roomId) {
        return subscribe(client, "room", RoomTopics.room(roomId));
    }

    /** Skips frames until one matches (other events may interleave), within the client's timeout. */
    static String await(RawStompClient client, Predicate<String> match) {
        for (int i = 0; i < 50; i++) {
            String frame = client.next();
            assertThat(frame).as("a matching frame arrived").isNotNull();
            if (match.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no matching frame");
    }

    @Test
    void stateChangingRequestsWithTheSessionCookieNeedTheCsrfToken() {
        Visitor visitor = Visitor.arrive(port);

        visitor.web().post().uri("/api/rooms").cookie("SESSION", visitor.cookie())
                .contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("title", "no token")).exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail")
                .isEqualTo("This request is missing its security token; reload the page and try again.");
        visitor.post("/api/rooms", Map.of("title", "with token")).expectStatus().isCreated();
    }

    @Test
    void invalidRoomsAreRefusedWithAProblemDetailPerField() {
        Visitor visitor = Visitor.arrive(port);

        visitor.post("/api/rooms", Map.of("title", " ", "max", 1, "password", "é".repeat(37)))
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors.title").isEqualTo("Give the room a title.")
                .jsonPath("$.errors.max").isEqualTo("Between 2 and 100 people.")
                .jsonPath("$.errors.password").isEqualTo("At most 72 bytes.");
        visitor.post("/api/rooms", Map.of("title", "x".repeat(61))).expectStatus().isBadRequest();
        visitor.post("/api/rooms", Map.of("title", "ok", "max", 101)).expectStatus().isBadRequest();
    }

    @Test
    void aLockedRoomsPasswordAppearsInNoLobbyPayloadAndNoApiResponse() {
        RawStompClient lobby = connect(null);
        assertThat(subscribe(lobby, "lobby", RoomTopics.LOBBY)).startsWith("RECEIPT");
        Visitor owner = Visitor.arrive(port);

        String id = owner.createRoom("secret club", 5, "hunter2-password");

        String newRoom = await(lobby, f -> f.contains("\"newRoom\""));
        assertThat(newRoom).contains(id).contains("\"locked\":true")
                .doesNotContain("hunter2").doesNotContain("$2a$").doesNotContain("password");
        String list = owner.get("/api/rooms").expectBody(String.class).returnResult().getResponseBody();
        assertThat(list).contains(id).doesNotContain("hunter2").doesNotContain("$2a$").doesNotContain("password");
    }

    @Test
    void subscribingToALockedRoomNeedsAdmissionAndPasswordTriesAreLimited() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("locked", 5, "open sesame");
        Visitor guest = Visitor.arrive(port);

        assertThat(header(enter(connect(guest), id), "message")).isEqualTo("This room needs its password.");
        guest.post("/api/rooms/" + id + "/admission", Map.of("password", "wrong")).expectStatus().isForbidden()
                .expectBody().jsonPath("$.detail").isEqualTo("Wrong password.");
        guest.post("/api/rooms/" + id + "/admission", Map.of("password", "open sesame")).expectStatus().isNoContent();
        assertThat(enter(connect(guest), id)).startsWith("RECEIPT");

        Visitor guesser = Visitor.arrive(port);
        for (int i = 0; i < 3; i++) {
            guesser.post("/api/rooms/" + id + "/admission", Map.of("password", "guess" + i)).expectStatus().isForbidden();
        }
        guesser.post("/api/rooms/" + id + "/admission", Map.of("password", "open sesame")).expectStatus()
                .isEqualTo(429);
    }

    @Test
    void ofFiftySimultaneousJoinersToARoomOfTenExactlyTenGetIn() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("popular", 10, null);
        List<RawStompClient> joiners = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            joiners.add(connect(null));
        }

        joiners.forEach(c -> c.send("SUBSCRIBE\nid:room\ndestination:" + RoomTopics.room(id) + "\nreceipt:in\n\n\0"));

        int in = 0;
        int full = 0;
        for (RawStompClient joiner : joiners) {
            String answer = await(joiner, f -> f.startsWith("RECEIPT") || f.startsWith("ERROR"));
            if (answer.startsWith("RECEIPT")) {
                in++;
            } else {
                assertThat(header(answer, "message")).isEqualTo("The room is full.");
                full++;
            }
        }
        assertThat(in).isEqualTo(10);
        assertThat(full).isEqualTo(40);
        owner.get("/api/rooms/" + id).expectBody().jsonPath("$.participants").isEqualTo(10);
    }

    @Test
    void joinAndExitAreAnnouncedOncePerIdentityAndPersisted() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("presence", 10, null);
        RawStompClient watcher = connect(null);
        assertThat(enter(watcher, id)).startsWith("RECEIPT");
        Visitor guest = Visitor.arrive(port);

        RawStompClient tab1 = connect(guest);
        RawStompClient tab2 = connect(guest);
        assertThat(enter(tab1, id)).startsWith("RECEIPT");
        assertThat(enter(tab2, id)).startsWith("RECEIPT");
        String join = await(watcher, f -> f.contains("\"event\":\"join\""));
        assertThat(join).contains(guest.name() + " joined").contains("\"type\":\"system\"");
        assertThat(await(watcher, f -> f.contains("\"type\":\"presence\""))).contains(guest.name());

        tab1.close();
        assertThat(watcher.next(Duration.ofMillis(500))).as("one tab closing is not an exit").isNull();
        tab2.close();
        String exit = await(watcher, f -> f.contains("\"event\":\"exit\""));
        assertThat(exit).contains(guest.name() + " left");

        String history = owner.get("/api/rooms/" + id).expectBody(String.class).returnResult().getResponseBody();
        assertThat(history).contains("\"participants\":1");
    }

    @Test
    void whenTheOwnerLeavesTheLongestPresentMemberBecomesOwner() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("handoff", 10, null);
        RawStompClient ownerTab = connect(owner);
        assertThat(enter(ownerTab, id)).startsWith("RECEIPT");
        Visitor first = Visitor.arrive(port);
        RawStompClient firstTab = connect(first);
        assertThat(enter(firstTab, id)).startsWith("RECEIPT");
        Visitor second = Visitor.arrive(port);
        RawStompClient secondTab = connect(second);
        assertThat(enter(secondTab, id)).startsWith("RECEIPT");
        RawStompClient lobby = connect(null);
        assertThat(subscribe(lobby, "lobby", RoomTopics.LOBBY)).startsWith("RECEIPT");

        ownerTab.close();

        assertThat(await(secondTab, f -> f.contains("\"event\":\"owner\""))).contains(first.name() + " is now the owner");
        assertThat(await(lobby, f -> f.contains("updateRoom") && f.contains(first.name()))).contains("\"participants\":2");
        owner.get("/api/rooms/" + id).expectBody().jsonPath("$.owner.name").isEqualTo(first.name());
    }

    @Test
    void theOwnerCanKickAParticipantWhoIsToldAndCannotComeBack() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("kick", 10, null);
        RawStompClient ownerTab = connect(owner);
        assertThat(enter(ownerTab, id)).startsWith("RECEIPT");
        Visitor guest = Visitor.arrive(port);
        RawStompClient guestTab = connect(guest);
        assertThat(subscribe(guestTab, "notice", "/user/queue/notice")).startsWith("RECEIPT");
        assertThat(enter(guestTab, id)).startsWith("RECEIPT");
        String guestId = connectedId(guest);

        guest.post("/api/rooms/" + id + "/kick/" + ownerIdOf(owner, id), null).expectStatus().isForbidden();
        owner.post("/api/rooms/" + id + "/kick/" + guestId, null).expectStatus().isNoContent();

        assertThat(await(guestTab, f -> f.contains("\"kicked\""))).contains("/user/queue/notice").contains(id);
        assertThat(await(ownerTab, f -> f.contains("\"event\":\"kick\""))).contains(guest.name() + " was removed");
        RawStompClient again = connect(guest);
        assertThat(header(enter(again, id), "message")).isEqualTo("You were removed from this room.");
        guest.get("/room/" + id).expectStatus().isForbidden();
    }

    /** The identity id of a visitor, as CONNECTED reports it for its session. */
    String connectedId(Visitor visitor) {
        RawStompClient client = RawStompClient.open(port, visitor.cookieHeader());
        clients.add(client);
        client.send("CONNECT\naccept-version:1.2\nheart-beat:0,0\n\n\0");
        return header(client.next(), "user-id");
    }

    static String ownerIdOf(Visitor visitor, String roomId) {
        return (String) ((Map<?, ?>) visitor.get("/api/rooms/" + roomId).expectBody(Map.class).returnResult()
                .getResponseBody().get("owner")).get("id");
    }

    @Test
    void onlyMembersMaySignalTypingAndSeeParticipants() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("typing", 10, null);
        RawStompClient ownerTab = connect(owner);
        assertThat(enter(ownerTab, id)).startsWith("RECEIPT");
        assertThat(subscribe(ownerTab, "typing", RoomTopics.typing(id))).startsWith("RECEIPT");
        Visitor member = Visitor.arrive(port);
        RawStompClient memberTab = connect(member);
        assertThat(enter(memberTab, id)).startsWith("RECEIPT");

        memberTab.send("SEND\ndestination:" + RoomTopics.typing(id) + "\ncontent-type:application/json\n\n{}\0");
        assertThat(await(ownerTab, f -> f.contains(RoomTopics.typing(id))))
                .contains("\"type\":\"typing\"").contains("\"name\":\"" + member.name() + "\"");
        member.get("/api/rooms/" + id + "/participants").expectStatus().isOk()
                .expectBody().jsonPath("$.participants.length()").isEqualTo(2);

        Visitor outsider = Visitor.arrive(port);
        outsider.get("/api/rooms/" + id + "/participants").expectStatus().isForbidden();
        RawStompClient outsiderTab = connect(outsider);
        outsiderTab.send("SEND\ndestination:" + RoomTopics.typing(id) + "\n\n{}\0");
        assertThat(header(outsiderTab.next(), "message")).isEqualTo("You are not in this room.");
        RawStompClient spoofer = connect(null);
        spoofer.send("SEND\ndestination:" + RoomTopics.room(id) + "\n\n{\"type\":\"system\"}\0");
        assertThat(header(spoofer.next(), "message")).isEqualTo("not allowed to send to " + RoomTopics.room(id));
    }

    @Test
    void onlyTheOwnerOrAnAdminMayDeleteAndMembersAreToldTheRoomIsGone() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("doomed", 10, null);
        Visitor guest = Visitor.arrive(port);
        RawStompClient guestTab = connect(guest);
        assertThat(enter(guestTab, id)).startsWith("RECEIPT");
        RawStompClient lobby = connect(null);
        assertThat(subscribe(lobby, "lobby", RoomTopics.LOBBY)).startsWith("RECEIPT");

        guest.delete("/api/rooms/" + id).expectStatus().isForbidden();
        owner.delete("/api/rooms/" + id).expectStatus().isNoContent();

        assertThat(await(guestTab, f -> f.contains("roomDeleted"))).contains(id);
        assertThat(await(lobby, f -> f.contains("removeRoom"))).contains(id);
        owner.get("/api/rooms/" + id).expectStatus().isNotFound();
        owner.delete("/api/rooms/" + id).expectStatus().isNotFound();
    }

    @Test
    void aSecondSubscriptionToTheSameRoomOnOneConnectionIsRefusedSoNoGhostOutlivesTheExit() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("no ghosts", 10, null);
        RawStompClient tab = connect(owner);
        assertThat(subscribe(tab, "1", RoomTopics.room(id))).startsWith("RECEIPT");

        String refused = subscribe(tab, "2", RoomTopics.room(id));

        assertThat(refused).startsWith("ERROR");
        assertThat(header(refused, "message")).isEqualTo("Already subscribed to " + RoomTopics.room(id) + ".");
    }

    @Test
    void typingSignalsNeedTheRoomOnTheSameConnectionAndEndWhenItLeaves() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("typing follows the room", 10, null);
        RawStompClient inRoom = connect(owner);
        assertThat(enter(inRoom, id)).startsWith("RECEIPT");
        RawStompClient otherTab = connect(owner); // the same identity, not in the room on this connection
        assertThat(header(subscribe(otherTab, "typing", RoomTopics.typing(id)), "message"))
                .isEqualTo("You are not in this room.");
        assertThat(subscribe(inRoom, "typing", RoomTopics.typing(id))).startsWith("RECEIPT");

        inRoom.send("UNSUBSCRIBE\nid:room\nreceipt:out\n\n\0");
        assertThat(await(inRoom, f -> f.startsWith("RECEIPT"))).contains("receipt-id:out");

        // Had the typing subscription outlived the room, its id would still be taken ("duplicate subscription id").
        assertThat(header(subscribe(inRoom, "typing", RoomTopics.typing(id)), "message"))
                .isEqualTo("You are not in this room.");
    }

    @Test
    void typingSignalsAreWrittenByTheServerFromTheSendersIdentityAtMostOnceEveryTwoSeconds() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("who types", 10, null);
        RawStompClient ownerTab = connect(owner);
        assertThat(enter(ownerTab, id)).startsWith("RECEIPT");
        assertThat(subscribe(ownerTab, "typing", RoomTopics.typing(id))).startsWith("RECEIPT");
        Visitor member = Visitor.arrive(port);
        RawStompClient memberTab = connect(member);
        assertThat(enter(memberTab, id)).startsWith("RECEIPT");
        String ownerId = connectedId(owner);

        // claims to be the owner, with a content-type whose escaped newline once broke the STOMP 1.0 encoder
        memberTab.send("SEND\ndestination:" + RoomTopics.typing(id) + "\ncontent-type:text/x\\nevil\n\n"
                + "{\"id\":\"" + ownerId + "\",\"user\":{\"id\":\"" + ownerId + "\",\"name\":\"Owner\"}}\0");
        memberTab.send("SEND\ndestination:" + RoomTopics.typing(id) + "\n\n{}\0"); // too soon: not relayed
        memberTab.send("SEND\ndestination:/app/chat/" + id + "\ncontent-type:application/json\n\n{\"chat\":\"done\"}\0");

        List<String> typing = new ArrayList<>();
        await(ownerTab, f -> {
            if (f.contains("destination:" + RoomTopics.typing(id))) {
                typing.add(f);
            }
            return f.contains("\"chat\":\"done\"");
        });
        assertThat(typing).hasSize(1);
        assertThat(typing.get(0)).contains("content-type:application/json").contains("\"name\":\"" + member.name() + "\"")
                .doesNotContain(ownerId).doesNotContain("evil");
    }
}
