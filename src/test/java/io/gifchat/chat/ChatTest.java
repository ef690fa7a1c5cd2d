package io.gifchat.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpHeaders;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.gifchat.messaging.StompProtocolTest.header;
import static org.assertj.core.api.Assertions.assertThat;

/** Chat messages through STOMP and the history API, as the room page uses them. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=0s", "gifchat.chat.rate-limit=5", "gifchat.chat.rate-window=1h"})
class ChatTest {

    @LocalServerPort
    int port;

    @Autowired
    JsonMapper json;

    final List<RawStompClient> clients = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(RawStompClient::close);
    }

    RawStompClient member(Visitor visitor, String roomId) {
        RawStompClient client = RawStompClient.connected(port, visitor == null ? new HttpHeaders() : visitor.cookieHeader());
        clients.add(client);
        client.send("SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\n\n\0"
                + "SUBSCRIBE\nid:whisper\ndestination:/user/queue/whisper\n\n\0"
                + "SUBSCRIBE\nid:room\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
        await(client, f -> f.startsWith("RECEIPT"));
        return client;
    }

    static String await(RawStompClient client, Predicate<String> match) {
        for (int i = 0; i < 500; i++) {
            String frame = client.next();
            assertThat(frame).as("a matching frame arrived").isNotNull();
            if (match.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no matching frame");
    }

    static void say(RawStompClient client, String roomId, String body, String receipt) {
        client.send("SEND\ndestination:/app/chat/" + roomId + "\ncontent-type:application/json\n"
                + (receipt == null ? "" : "receipt:" + receipt + "\n") + "\n" + body + "\0");
    }

    JsonNode body(String frame) {
        return json.readTree(frame.substring(frame.indexOf("\n\n") + 2));
    }

    static boolean isChat(String frame) {
        return frame.startsWith("MESSAGE") && frame.contains("\"type\":\"chat\"");
    }

    List<JsonNode> history(Visitor visitor, String roomId, String query) {
        JsonNode list = json.readTree(visitor.get("/api/rooms/" + roomId + "/chats" + query).expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
        List<JsonNode> lines = new ArrayList<>();
        list.forEach(lines::add);
        return lines;
    }

    @Test
    void messagesAreStoredThenPublishedAndTheReceiptComesAfterTheStore() {
        Visitor alice = Visitor.arrive(port);
        String room = alice.createRoom("talk", 10, null);
        RawStompClient a = member(alice, room);

        say(a, room, "{\"chat\": \"  hello world  \"}", "r1");

        String message = await(a, f -> isChat(f) || f.startsWith("RECEIPT"));
        assertThat(message).as("the message is published before the receipt").startsWith("MESSAGE");
        JsonNode line = body(message);
        assertThat(line.get("chat").asString()).isEqualTo("hello world");
        assertThat(line.get("user").get("name").asString()).isEqualTo(alice.name());
        assertThat(line.get("room").asString()).isEqualTo(room);
        assertThat(line.get("seq").asLong()).isPositive();
        assertThat(line.get("createdAt").asString()).isNotBlank();
        assertThat(a.next()).isEqualTo("RECEIPT\nreceipt-id:r1\n\n");
        assertThat(history(alice, room, "?after=0")).anyMatch(l -> l.get("chat") != null
                && l.get("chat").asString().equals("hello world"));
    }

    @Test
    void seqIsStrictlyIncreasingPerRoomUnderConcurrentSenders() {
        Visitor owner = Visitor.arrive(port);
        String room = owner.createRoom("busy", 20, null);
        RawStompClient watcher = member(owner, room);
        List<RawStompClient> senders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            senders.add(member(null, room));
        }

        for (int n = 0; n < 5; n++) {
            for (int s = 0; s < senders.size(); s++) {
                say(senders.get(s), room, "{\"chat\": \"m" + s + "-" + n + "\"}", null);
            }
        }

        List<Long> seqs = new ArrayList<>();
        while (seqs.size() < 40) {
            seqs.add(body(await(watcher, ChatTest::isChat)).get("seq").asLong());
        }
        assertThat(seqs).isSorted().doesNotHaveDuplicates();
        List<JsonNode> stored = history(owner, room, "?after=0&limit=200");
        List<Long> storedSeqs = stored.stream().map(l -> l.get("seq").asLong()).toList();
        assertThat(storedSeqs).isSorted().doesNotHaveDuplicates();
        assertThat(stored.stream().filter(l -> l.get("type").asString().equals("chat"))).hasSize(40);
    }

    @Test
    void resendingTheSameClientIdStoresNothingNew() {
        Visitor alice = Visitor.arrive(port);
        String room = alice.createRoom("retry", 10, null);
        RawStompClient a = member(alice, room);
        String clientId = UUID.randomUUID().toString();
        String body = "{\"chat\": \"only once\", \"clientId\": \"" + clientId + "\"}";

        say(a, room, body, "first");
        assertThat(body(await(a, ChatTest::isChat)).get("clientId").asString()).isEqualTo(clientId);
        await(a, f -> f.equals("RECEIPT\nreceipt-id:first\n\n"));
        say(a, room, body, "again");
        assertThat(await(a, f -> f.startsWith("RECEIPT") || isChat(f))).isEqualTo("RECEIPT\nreceipt-id:again\n\n");

        assertThat(history(alice, room, "?after=0").stream()
                .filter(l -> l.get("clientId") != null && l.get("clientId").asString().equals(clientId))).hasSize(1);
    }

    @Test
    void badMessagesAndTheRateLimitGetAClearErrorAndTheConnectionStays() {
        Visitor alice = Visitor.arrive(port);
        String room = alice.createRoom("limits", 10, null);
        RawStompClient a = member(alice, room);

        say(a, room, "not json", "bad1");
        assertThat(body(await(a, f -> f.contains("/user/queue/errors"))).get("message").asString())
                .isEqualTo("The message must be JSON like {\"chat\": \"hello\"}.");
        say(a, room, "{\"chat\": \"   \"}", "bad2");
        assertThat(body(await(a, f -> f.contains("/user/queue/errors"))).get("message").asString())
                .isEqualTo("The message is empty.");
        say(a, room, "{\"chat\": \"" + "x".repeat(2001) + "\"}", "bad3");
        assertThat(body(await(a, f -> f.contains("/user/queue/errors"))).get("message").asString())
                .isEqualTo("The message is longer than 2000 characters.");

        for (int i = 0; i < 5; i++) {
            say(a, room, "{\"chat\": \"ok " + i + "\"}", "ok" + i);
            await(a, f -> f.startsWith("RECEIPT"));
        }
        String clientId = UUID.randomUUID().toString();
        say(a, room, "{\"chat\": \"one too many\", \"clientId\": \"" + clientId + "\"}", "over");
        JsonNode error = body(await(a, f -> f.contains("/user/queue/errors") || f.startsWith("RECEIPT")));
        assertThat(error.get("message").asString()).isEqualTo("You are sending too fast; wait a moment.");
        assertThat(error.get("clientId").asString()).isEqualTo(clientId);
        assertThat(error.get("receipt").asString()).isEqualTo("over");

        a.send("SUBSCRIBE\nid:still\ndestination:/topic/room\nreceipt:alive\n\n\0");
        assertThat(await(a, f -> f.startsWith("RECEIPT") || f.startsWith("ERROR"))).isEqualTo("RECEIPT\nreceipt-id:alive\n\n");
        assertThat(history(alice, room, "?after=0").stream().filter(l -> l.get("type").asString().equals("chat")))
                .hasSize(5);
    }

    @Test
    void onlyMembersMaySendOrReadHistory() {
        Visitor alice = Visitor.arrive(port);
        String room = alice.createRoom("members", 10, null);
        member(alice, room);
        Visitor outsider = Visitor.arrive(port);
        RawStompClient o = RawStompClient.connected(port, outsider.cookieHeader());
        clients.add(o);
        o.send("SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\n\n\0");

        say(o, room, "{\"chat\": \"let me in\"}", "x");
        assertThat(body(await(o, f -> f.contains("/user/queue/errors"))).get("message").asString())
                .isEqualTo("You are not in this room.");
        outsider.get("/api/rooms/" + room + "/chats?after=0").expectStatus().isForbidden();
        outsider.get("/api/rooms/nope/chats?after=0").expectStatus().isNotFound();
    }

    @Test
    void historyPagesBackwardAndForwardOldestFirst() {
        Visitor alice = Visitor.arrive(port);
        String room = alice.createRoom("pages", 10, null);
        RawStompClient a = member(alice, room);
        Visitor bob = Visitor.arrive(port);
        RawStompClient b = member(bob, room);
        for (int i = 0; i < 5; i++) {
            say(a, room, "{\"chat\": \"a" + i + "\"}", "a" + i);
            say(b, room, "{\"chat\": \"b" + i + "\"}", "b" + i);
        }
        await(a, f -> f.equals("RECEIPT\nreceipt-id:a4\n\n"));
        await(b, f -> f.equals("RECEIPT\nreceipt-id:b4\n\n"));

        List<JsonNode> all = history(alice, room, "?after=0&limit=200");
        long last = all.get(all.size() - 1).get("seq").asLong();
        List<JsonNode> older = history(alice, room, "?before=" + last + "&limit=3");
        assertThat(older.stream().map(l -> l.get("seq").asLong()).toList()).containsExactly(last - 3, last - 2, last - 1);
        List<JsonNode> newer = history(alice, room, "?after=" + (last - 2) + "&limit=50");
        assertThat(newer.stream().map(l -> l.get("seq").asLong()).toList()).containsExactly(last - 1, last);
        alice.get("/api/rooms/" + room + "/chats?before=1&after=2").expectStatus().isBadRequest();
    }

    @Test
    void whispersReachEveryTabOfTheTargetAndTheSenderAndNobodyElseAndAreNotStored() {
        Visitor alice = Visitor.arrive(port);
        String room = alice.createRoom("whispers", 10, null);
        RawStompClient a = member(alice, room);
        Visitor bob = Visitor.arrive(port);
        RawStompClient bob1 = member(bob, room);
        RawStompClient bob2 = member(bob, room);
        RawStompClient carol = member(Visitor.arrive(port), room);
        String bobId = identityId(bob);

        a.send("SEND\ndestination:/app/chat/" + room + "/whisper\ncontent-type:application/json\nreceipt:w\n\n"
                + "{\"to\": \"" + bobId + "\", \"chat\": \"psst\"}\0");

        for (RawStompClient c : List.of(bob1, bob2, a)) {
            JsonNode whisper = body(await(c, f -> f.contains("/user/queue/whisper")));
            assertThat(whisper.get("chat").asString()).isEqualTo("psst");
            assertThat(whisper.get("from").get("name").asString()).isEqualTo(alice.name());
            assertThat(whisper.get("to").get("id").asString()).isEqualTo(bobId);
        }
        assertThat(carol.next(Duration.ofMillis(300))).isNull();
        assertThat(history(alice, room, "?after=0").stream().noneMatch(l -> l.get("chat") != null
                && l.get("chat").asString().equals("psst"))).isTrue();

        a.send("SEND\ndestination:/app/chat/" + room + "/whisper\ncontent-type:application/json\n\n"
                + "{\"to\": \"nobody\", \"chat\": \"hello?\"}\0");
        assertThat(body(await(a, f -> f.contains("/user/queue/errors"))).get("message").asString())
                .isEqualTo("That person is not in the room.");
    }

    String identityId(Visitor visitor) {
        RawStompClient client = RawStompClient.connected(port, visitor.cookieHeader());
        clients.add(client);
        return header(client.connectedFrame(), "user-id");
    }
}
