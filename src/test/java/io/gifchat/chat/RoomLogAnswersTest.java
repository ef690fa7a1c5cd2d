package io.gifchat.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.gifchat.identity.Identity;
import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import io.gifchat.store.StoreDurability;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.convert.MongoConverter;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.gifchat.chat.ChatTest.await;
import static io.gifchat.chat.ChatTest.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every sender gets an answer from the room's log, and keeps its connection, whatever happens to the room or the
 * store: the room deleted while messages are on their way, the store failing, the store answering too late.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=0s", "gifchat.chat.append-timeout=3s", "gifchat.chat.rate-limit=1000"})
class RoomLogAnswersTest {

    /**
     * Durability that can be held (the line being stored waits, and the room's other lines queue behind it) or
     * broken (every commit fails).
     */
    @TestConfiguration
    static class HeldStore {
        volatile Sinks.Empty<Void> released = Sinks.empty();
        final AtomicInteger waitingToCommit = new AtomicInteger();
        volatile boolean held;
        volatile boolean broken;

        @Bean
        @Primary
        StoreDurability heldDurability() {
            return () -> Mono.defer(() -> {
                if (broken) {
                    return Mono.error(new IllegalStateException("disk gone"));
                }
                if (!held) {
                    return Mono.empty();
                }
                waitingToCommit.incrementAndGet();
                return released.asMono();
            });
        }

        /**
         * Inserts that can be held as a store holds a write it was sent: it lands when released, whether or not
         * the app still waits for it (a MongoDB does not undo a write because its client stopped waiting). Only
         * batches of messages are held.
         */
        volatile Sinks.Empty<Void> insertsReleased = Sinks.empty();
        final AtomicInteger heldInserts = new AtomicInteger();
        final AtomicInteger landedInserts = new AtomicInteger();
        volatile boolean insertsHeld;

        @Bean
        ReactiveMongoTemplate reactiveMongoTemplate(ReactiveMongoDatabaseFactory factory, MongoConverter converter) {
            return new ReactiveMongoTemplate(factory, converter) {
                @Override
                public <T> Flux<T> insertAll(Collection<? extends T> batch) {
                    if (!insertsHeld || batch.stream().noneMatch(line -> line instanceof Chat chat && chat.type() == Chat.Type.chat)) {
                        return super.insertAll(batch); // system lines (joins, exits) are not held
                    }
                    heldInserts.incrementAndGet();
                    CompletableFuture<List<T>> landed = insertsReleased.asMono()
                            .thenMany(Flux.<T>defer(() -> super.insertAll(batch))).collectList()
                            .doOnSuccess(lines -> landedInserts.incrementAndGet()).toFuture();
                    return Mono.fromFuture(landed, true).flatMapIterable(lines -> lines);
                }
            };
        }

        void holdInserts() {
            insertsReleased = Sinks.empty();
            heldInserts.set(0);
            landedInserts.set(0);
            insertsHeld = true;
        }

        void releaseInserts() {
            insertsHeld = false;
            insertsReleased.tryEmitEmpty();
        }

        void hold() {
            released = Sinks.empty();
            waitingToCommit.set(0);
            held = true;
        }

        void release() {
            held = false;
            released.tryEmitEmpty();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    HeldStore store;

    @Autowired
    RoomLog log;

    @Autowired
    JsonMapper json;

    @Autowired
    ReactiveMongoTemplate mongo;

    @Autowired
    io.gifchat.domain.Announcer announcer;

    final List<RawStompClient> clients = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        store.broken = false;
        store.release();
        store.releaseInserts();
        clients.forEach(RawStompClient::close);
    }

    RawStompClient member(Visitor visitor, String roomId) {
        RawStompClient client = RawStompClient.connected(port, visitor.cookieHeader());
        clients.add(client);
        client.send("SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\n\n\0"
                + "SUBSCRIBE\nid:room\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
        await(client, f -> f.startsWith("RECEIPT"));
        return client;
    }

    JsonNode body(String frame) {
        return json.readTree(frame.substring(frame.indexOf("\n\n") + 2));
    }

    @Test
    void deletingARoomWithMessagesInFlightAnswersEverySenderAndStallsNoConnection() throws Exception {
        Visitor owner = Visitor.arrive(port);
        Visitor guest = Visitor.arrive(port);
        String roomId = owner.createRoom("Doomed with traffic", 10, null);
        RawStompClient first = member(owner, roomId);
        List<RawStompClient> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queued.add(member(i % 2 == 0 ? guest : owner, roomId));
        }

        store.hold();
        String firstId = UUID.randomUUID().toString();
        say(first, roomId, "{\"chat\":\"being stored\",\"clientId\":\"" + firstId + "\"}", "first");
        await().atMost(Duration.ofSeconds(5)).until(() -> store.waitingToCommit.get() == 1);
        List<String> clientIds = new ArrayList<>();
        for (RawStompClient client : queued) {
            String clientId = UUID.randomUUID().toString();
            clientIds.add(clientId);
            say(client, roomId, "{\"chat\":\"waiting\",\"clientId\":\"" + clientId + "\"}", "r-" + clientId);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> log.waiting(roomId) == queued.size());

        CompletableFuture<Void> deleted = CompletableFuture.runAsync(() ->
                owner.delete("/api/rooms/" + roomId).expectStatus().isNoContent());

        for (int i = 0; i < queued.size(); i++) {
            JsonNode error = body(await(queued.get(i), f -> f.contains("destination:/user/queue/errors")));
            assertThat(error.get("message").asString()).isEqualTo("The room was deleted.");
            assertThat(error.get("clientId").asString()).isEqualTo(clientIds.get(i));
            assertThat(error.get("receipt").asString()).isEqualTo("r-" + clientIds.get(i));
        }

        store.release(); // the line being stored completes: stored before the deletion took effect
        assertThat(await(first, f -> f.startsWith("RECEIPT"))).isEqualTo("RECEIPT\nreceipt-id:first\n\n");
        deleted.get(10, TimeUnit.SECONDS);

        for (RawStompClient client : clients) {
            client.send("SUBSCRIBE\nid:lobby\ndestination:/topic/room\nreceipt:still-here\n\n\0");
            assertThat(await(client, f -> f.startsWith("RECEIPT") || f.startsWith("ERROR")))
                    .as("the connection still answers").isEqualTo("RECEIPT\nreceipt-id:still-here\n\n");
        }
    }

    /**
     * The deleter closes its tab (the DELETE's connection drops) while the deletion waits for the batch being stored:
     * the deletion still runs to its end — the waiting senders are refused, the stored one is receipted, and then
     * the room's lines and GIFs go, so nothing that was receipted into the deleted room stays behind.
     */
    @Test
    void aDeleterThatStopsWaitingStillDeletesEverythingAndEverySenderIsAnswered() throws Exception {
        Visitor owner = Visitor.arrive(port);
        Visitor guest = Visitor.arrive(port);
        String roomId = owner.createRoom("Deleted by a closed tab", 10, null);
        RawStompClient first = member(owner, roomId);
        List<RawStompClient> queued = List.of(member(guest, roomId), member(owner, roomId));
        guest.uploadGif(roomId, "cat.gif", io.gifchat.web.browser.TestGifs.animated(16, 1), true).expectStatus().isCreated();

        store.hold();
        say(first, roomId, "{\"chat\":\"being stored\",\"clientId\":\"" + UUID.randomUUID() + "\"}", "first");
        await().atMost(Duration.ofSeconds(5)).until(() -> store.waitingToCommit.get() == 1);
        for (RawStompClient client : queued) {
            say(client, roomId, "{\"chat\":\"waiting\",\"clientId\":\"" + UUID.randomUUID() + "\"}", "queued");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> log.waiting(roomId) == queued.size());

        try (java.net.Socket tab = new java.net.Socket("127.0.0.1", port)) {
            tab.getOutputStream().write(("DELETE /api/rooms/" + roomId + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nCookie: SESSION=" + owner.cookie() + "\r\nX-CSRF-TOKEN: " + owner.csrf()
                    + "\r\nContent-Length: 0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            tab.getOutputStream().flush();
            for (RawStompClient client : queued) { // the lane is closed: the deletion waits for the batch now
                JsonNode error = body(await(client, f -> f.contains("destination:/user/queue/errors")));
                assertThat(error.get("message").asString()).isEqualTo("The room was deleted.");
            }
        } // the tab is closed while the deletion waits

        store.release();
        assertThat(await(first, f -> f.startsWith("RECEIPT"))).isEqualTo("RECEIPT\nreceipt-id:first\n\n");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(mongo.count(Query.query(Criteria.where("room").is(roomId)), "chats").block(Duration.ofSeconds(5)))
                    .as("the room's lines, the receipted one included").isZero();
            assertThat(mongo.count(Query.query(Criteria.where("metadata.room").is(roomId)), "fs.files")
                    .block(Duration.ofSeconds(5))).as("the room's GIFs").isZero();
        });
        for (RawStompClient client : clients) {
            client.send("SUBSCRIBE\nid:lobby\ndestination:/topic/room\nreceipt:still-here\n\n\0");
            assertThat(await(client, f -> f.startsWith("RECEIPT") || f.startsWith("ERROR")))
                    .as("the connection still answers").isEqualTo("RECEIPT\nreceipt-id:still-here\n\n");
        }
    }

    /**
     * The store takes longer than the run limit: the sender is told the outcome is unknown and the lane moves on;
     * the room is deleted; then the write lands. It must not stay behind as a line of a room that no longer exists.
     */
    /**
     * Node B of a cluster: the room was deleted on node A (gone from the store, A's cleanup done) while lines wait
     * in this node's lane. When A's notice arrives, the waiting lines are refused as they are on A, the one being
     * stored is receipted, the lines this node stored after A's cleanup are removed here, and a later line is refused.
     */
    @Test
    void aRoomDeletedOnAnotherNodeRefusesTheLinesWaitingHereAndRemovesTheLinesStoredHere() throws Exception {
        Visitor owner = Visitor.arrive(port);
        Visitor guest = Visitor.arrive(port);
        String roomId = owner.createRoom("Deleted on node A", 10, null);
        RawStompClient first = member(owner, roomId);
        List<RawStompClient> queued = List.of(member(guest, roomId), member(owner, roomId));
        store.hold();
        say(first, roomId, "{\"chat\":\"being stored\",\"clientId\":\"" + UUID.randomUUID() + "\"}", "first");
        await().atMost(Duration.ofSeconds(5)).until(() -> store.waitingToCommit.get() == 1);
        for (RawStompClient client : queued) {
            say(client, roomId, "{\"chat\":\"waiting\",\"clientId\":\"" + UUID.randomUUID() + "\"}", "queued");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> log.waiting(roomId) == queued.size());

        mongo.remove(Query.query(Criteria.where("_id").is(roomId)), io.gifchat.room.Room.class).block(Duration.ofSeconds(5));
        CompletableFuture<Void> noticed = announcer.announceTolerantly(() -> new io.gifchat.cluster.NoticeArrived(
                "node-a", new io.gifchat.cluster.Notice.RoomDeleted(roomId))).toFuture();

        for (RawStompClient client : queued) {
            JsonNode error = body(await(client, f -> f.contains("destination:/user/queue/errors")));
            assertThat(error.get("message").asString()).isEqualTo("The room was deleted.");
        }
        store.release();
        assertThat(await(first, f -> f.startsWith("RECEIPT"))).isEqualTo("RECEIPT\nreceipt-id:first\n\n");
        noticed.get(10, TimeUnit.SECONDS);
        assertThat(mongo.count(Query.query(Criteria.where("room").is(roomId)), Chat.class).block(Duration.ofSeconds(5)))
                .isZero();
        say(first, roomId, "{\"chat\":\"later\",\"clientId\":\"" + UUID.randomUUID() + "\"}", "later");
        assertThat(body(await(first, f -> f.contains("destination:/user/queue/errors"))).get("message").asString())
                .as("this node forgot the room's places too").isEqualTo("You are not in this room.");
    }

    @Test
    void aWriteTheLogGaveUpOnThatLandsAfterItsRoomWasDeletedLeavesNoLine() {
        Visitor owner = Visitor.arrive(port);
        String roomId = owner.createRoom("Slow store, then deleted", 5, null);
        RawStompClient client = member(owner, roomId);
        store.holdInserts();

        say(client, roomId, "{\"chat\":\"lands late\",\"clientId\":\"" + UUID.randomUUID() + "\"}", "late");
        JsonNode error = body(await(client, f -> f.contains("destination:/user/queue/errors") || f.startsWith("ERROR")));
        assertThat(error.get("message").asString())
                .isEqualTo("The message could not be confirmed in time; sending it again with the same id is safe.");
        assertThat(store.heldInserts).hasValue(1);
        owner.delete("/api/rooms/" + roomId).expectStatus().isNoContent();

        store.releaseInserts();
        await().atMost(Duration.ofSeconds(5)).until(() -> store.landedInserts.get() == 1);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(mongo.count(Query.query(Criteria.where("room").is(roomId)), "chats").block(Duration.ofSeconds(5)))
                        .as("lines of the deleted room").isZero());
    }

    @Test
    void aFailingStoreIsTheSendersErrorAndTheConnectionStays() {
        Visitor visitor = Visitor.arrive(port);
        String roomId = visitor.createRoom("Broken disk", 5, null);
        RawStompClient client = member(visitor, roomId);
        store.broken = true;
        String clientId = UUID.randomUUID().toString();

        say(client, roomId, "{\"chat\":\"lost?\",\"clientId\":\"" + clientId + "\"}", "r1");

        JsonNode error = body(await(client, f -> f.contains("destination:/user/queue/errors") || f.startsWith("ERROR")));
        assertThat(error.get("message").asString()).isEqualTo("The message could not be stored; try again.");
        assertThat(error.get("clientId").asString()).isEqualTo(clientId);
        store.broken = false;
        say(client, roomId, "{\"chat\":\"lost?\",\"clientId\":\"" + clientId + "\"}", "r2");
        assertThat(await(client, f -> f.startsWith("RECEIPT") || f.startsWith("ERROR"))).isEqualTo("RECEIPT\nreceipt-id:r2\n\n");
    }

    @Test
    void aStoreAnsweringTooLateIsTheSendersErrorAndARetryStoresNothingTwice() {
        Visitor visitor = Visitor.arrive(port);
        String roomId = visitor.createRoom("Slow disk", 5, null);
        RawStompClient client = member(visitor, roomId);
        store.hold();
        String clientId = UUID.randomUUID().toString();

        say(client, roomId, "{\"chat\":\"late\",\"clientId\":\"" + clientId + "\"}", "r1");

        JsonNode error = body(await(client, f -> f.contains("destination:/user/queue/errors") || f.startsWith("ERROR")));
        assertThat(error.get("message").asString())
                .isEqualTo("The message could not be confirmed in time; sending it again with the same id is safe.");
        store.release();
        say(client, roomId, "{\"chat\":\"late\",\"clientId\":\"" + clientId + "\"}", "r2");
        assertThat(await(client, f -> f.startsWith("RECEIPT") || f.startsWith("ERROR"))).isEqualTo("RECEIPT\nreceipt-id:r2\n\n");
        List<JsonNode> lines = new ArrayList<>();
        json.readTree(visitor.get("/api/rooms/" + roomId + "/chats").expectStatus().isOk().expectBody(String.class)
                .returnResult().getResponseBody()).forEach(lines::add);
        assertThat(lines.stream().filter(line -> clientId.equals(line.path("clientId").asString(null)))).hasSize(1);
    }

    /**
     * A retry finds its line stored by a first attempt that is still waiting for its commit (the lane gave up on
     * it): the retry is receipted only once that line is durable, never on the strength of an uncommitted write.
     */
    @Test
    void aRetryOfALineStillWaitingForItsCommitIsReceiptedOnlyOnceTheLineIsDurable() {
        Visitor visitor = Visitor.arrive(port);
        String roomId = visitor.createRoom("Retry before the commit", 5, null);
        RawStompClient client = member(visitor, roomId);
        store.hold();
        String clientId = UUID.randomUUID().toString();
        say(client, roomId, "{\"chat\":\"uncommitted\",\"clientId\":\"" + clientId + "\"}", "r1");
        JsonNode error = body(await(client, f -> f.contains("destination:/user/queue/errors") || f.startsWith("ERROR")));
        assertThat(error.get("message").asString())
                .isEqualTo("The message could not be confirmed in time; sending it again with the same id is safe.");

        say(client, roomId, "{\"chat\":\"uncommitted\",\"clientId\":\"" + clientId + "\"}", "r2");
        assertThat(client.next(Duration.ofMillis(700))).as("no receipt while the line is not durable").isNull();
        assertThat(store.waitingToCommit).as("the retry waits for a commit").hasValue(2);

        store.release();
        assertThat(await(client, f -> f.startsWith("RECEIPT") || f.startsWith("ERROR"))).isEqualTo("RECEIPT\nreceipt-id:r2\n\n");
        assertThat(chats.findByRoomAndSeqGreaterThanOrderBySeqAsc(roomId, 0, org.springframework.data.domain.PageRequest.of(0, 50))
                .filter(line -> clientId.equals(line.clientId())).count().block(Duration.ofSeconds(5))).isEqualTo(1);
    }

    @Autowired
    ChatRepository chats;

    @Test
    void aRetryBatchedWithNewLinesIsAnsweredAsStoredAndLeavesNoGapInTheSeqs() {
        Visitor visitor = Visitor.arrive(port);
        String roomId = visitor.createRoom("Retries among new lines", 5, null);
        Identity who = new Identity("i1", "Quiet Otter 42", "#3d7a99");
        java.util.function.Function<String, java.util.function.LongFunction<Chat>> text = words ->
                seq -> Chat.text(null, roomId, seq, who, words, null, java.time.Instant.now());
        Chat x = log.append(roomId, roomId + ":x", seq -> Chat.text(roomId + ":x", roomId, seq, who, "x", "x",
                java.time.Instant.now())).block(Duration.ofSeconds(5));

        store.hold();
        Mono<Chat> blocker = log.append(roomId, text.apply("blocker")).cache();
        blocker.subscribe();
        await().atMost(Duration.ofSeconds(5)).until(() -> store.waitingToCommit.get() == 1);
        List<Mono<Chat>> batch = List.of(
                log.append(roomId, roomId + ":y", seq -> Chat.text(roomId + ":y", roomId, seq, who, "y", "y", java.time.Instant.now())),
                log.append(roomId, roomId + ":x", seq -> Chat.text(roomId + ":x", roomId, seq, who, "x again", "x", java.time.Instant.now())),
                log.append(roomId, roomId + ":z", seq -> Chat.text(roomId + ":z", roomId, seq, who, "z", "z", java.time.Instant.now())))
                .stream().map(Mono::cache).toList();
        batch.forEach(Mono::subscribe);
        await().atMost(Duration.ofSeconds(5)).until(() -> log.waiting(roomId) == 3);
        store.release();

        List<Chat> answers = batch.stream().map(m -> m.block(Duration.ofSeconds(5))).toList();
        assertThat(blocker.block(Duration.ofSeconds(5)).seq()).isEqualTo(x.seq() + 1);
        assertThat(answers).extracting(Chat::chat).containsExactly("y", "x", "z");
        assertThat(answers.get(1).seq()).isEqualTo(x.seq());
        assertThat(chats.findByRoomAndSeqGreaterThanOrderBySeqAsc(roomId, 0, org.springframework.data.domain.PageRequest.of(0, 50))
                .map(Chat::chat).collectList().block(Duration.ofSeconds(5)))
                .containsExactly("x", "blocker", "y", "z");
        assertThat(chats.findByRoomAndSeqGreaterThanOrderBySeqAsc(roomId, 0, org.springframework.data.domain.PageRequest.of(0, 50))
                .map(Chat::seq).collectList().block(Duration.ofSeconds(5)))
                .containsExactly(x.seq(), x.seq() + 1, x.seq() + 2, x.seq() + 3);
    }

    @Test
    void disconnectsReceiptWaitsForTheMessagesBeforeItAndFramesAfterItAreIgnored() {
        Visitor visitor = Visitor.arrive(port);
        String roomId = visitor.createRoom("Leaving with a message on its way", 5, null);
        RawStompClient client = member(visitor, roomId);
        store.hold();
        say(client, roomId, "{\"chat\":\"last words\",\"clientId\":\"" + UUID.randomUUID() + "\"}", "words");
        await().atMost(Duration.ofSeconds(5)).until(() -> store.waitingToCommit.get() == 1);
        client.send("DISCONNECT\nreceipt:bye\n\n\0");
        say(client, roomId, "{\"chat\":\"after the disconnect\"}", "after");

        assertThat(client.next(Duration.ofMillis(300))).as("nothing while the message is stored").isNull();
        store.release();
        List<String> receipts = new ArrayList<>();
        for (String frame = client.next(); frame != null; frame = client.next()) {
            if (frame.startsWith("RECEIPT")) {
                receipts.add(frame);
            }
        }
        assertThat(receipts).containsExactly("RECEIPT\nreceipt-id:words\n\n", "RECEIPT\nreceipt-id:bye\n\n");
    }

    @Test
    void aConnectionWithTooManyMessagesWaitingIsToldToWaitAndKeepsItsConnection() {
        Visitor visitor = Visitor.arrive(port);
        String roomId = visitor.createRoom("Impatient", 5, null);
        RawStompClient client = member(visitor, roomId);
        store.hold();
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 65; i++) { // max-pending-sends is 64
            burst.append("SEND\ndestination:/app/chat/").append(roomId).append("\ncontent-type:application/json\nreceipt:m")
                    .append(i).append("\n\n{\"chat\":\"m").append(i).append("\"}\0");
        }
        client.send(burst.toString());

        JsonNode error = body(await(client, f -> f.contains("destination:/user/queue/errors") || f.startsWith("ERROR")));
        assertThat(error.get("message").asString()).isEqualTo("Too many messages are waiting for their receipts; wait for them.");
        assertThat(error.get("receipt").asString()).isEqualTo("m64");
        store.release();
        assertThat(await(client, f -> f.equals("RECEIPT\nreceipt-id:m63\n\n") || f.startsWith("ERROR")))
                .isEqualTo("RECEIPT\nreceipt-id:m63\n\n");
    }
}
