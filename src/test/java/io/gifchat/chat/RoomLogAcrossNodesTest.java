package io.gifchat.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import io.gifchat.cluster.ClusterProperties;
import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import io.gifchat.messaging.RawStompClient;
import io.gifchat.messaging.Wire;
import io.gifchat.messaging.WireJson;
import io.gifchat.room.RoomTopics;
import io.gifchat.room.Rooms;
import io.gifchat.room.Visitor;
import io.gifchat.store.StoreDurability;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.convert.MongoConverter;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import static io.gifchat.chat.ChatTest.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Several nodes writing one room, simulated by room logs of their own over the one store (each with its own store
 * client, which can let a rival node's line in just before an insert): the store arbitrates the seq, so every
 * line is stored once, the room's seqs stay contiguous, every sender is answered, and what a batch stored before
 * it met a conflict is published once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=0s", "gifchat.chat.rate-limit=5", "gifchat.chat.rate-window=1h"})
class RoomLogAcrossNodesTest {

    static final Identity WHO = new Identity("i1", "Quiet Otter 42", "#3d7a99");
    static final Identity RIVAL = new Identity("i2", "Brisk Heron 7", "#7a3d99");
    static final Duration WAIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    Rooms rooms;
    @Autowired
    ChatRepository chats;
    @Autowired
    ReactiveMongoDatabaseFactory factory;
    @Autowired
    MongoConverter converter;
    @Autowired
    ReactiveMongoTemplate mongo;
    @Autowired
    StoreDurability durability;
    @Autowired
    Wire wire;
    @Autowired
    WireJson json;
    @Autowired
    ChatProperties properties;
    @Autowired
    ClusterProperties cluster;
    @Autowired
    LineOrder order;

    /**
     * One node's store client: counts the inserts of chat messages and the conflicts they meet, and can let a rival
     * node's line take the seq of a contested message (text starting with "contested") just before its insert.
     */
    final class NodeStore extends ReactiveMongoTemplate {
        final AtomicInteger inserts = new AtomicInteger();
        final AtomicInteger conflicts = new AtomicInteger();
        final AtomicInteger rivals = new AtomicInteger();
        final List<Integer> contestedBatches = new ArrayList<>();

        NodeStore() {
            super(factory, converter);
        }

        @Override
        public <T> Flux<T> insertAll(Collection<? extends T> batch) {
            List<Chat> messages = batch.stream().filter(line -> line instanceof Chat chat && chat.type() == Chat.Type.chat)
                    .map(Chat.class::cast).toList();
            if (messages.isEmpty()) {
                return super.insertAll(batch);
            }
            inserts.incrementAndGet();
            List<Chat> contested = messages.stream().filter(line -> line.chat().startsWith("contested")).toList();
            Flux<T> insert = super.insertAll(batch);
            if (!contested.isEmpty() && rivals.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                synchronized (contestedBatches) {
                    contestedBatches.add(messages.size());
                }
                Chat taken = contested.get(contested.size() - 1);
                insert = super.insert(Chat.text(null, taken.room(), taken.seq(), RIVAL, "rival", null, Instant.now()))
                        .thenMany(insert);
            }
            return insert.doOnError(DuplicateKeyException.class, e -> conflicts.incrementAndGet());
        }
    }

    RoomLog node(NodeStore store, LineOrder seen) {
        return new RoomLog(rooms, chats, store, durability, wire, properties, seen);
    }

    static Mono<Chat> say(RoomLog node, String roomId, String text) {
        String key = roomId + ":i1:" + text;
        return node.append(roomId, key, seq -> Chat.text(key, roomId, seq, WHO, text, text, Instant.now()));
    }

    List<Chat> stored(String roomId) {
        return mongo.find(Query.query(Criteria.where("room").is(roomId)).with(Sort.by("seq")), Chat.class)
                .collectList().block(WAIT);
    }

    static List<Long> oneTo(long last) {
        return LongStream.rangeClosed(1, last).boxed().toList();
    }

    @BeforeEach
    void seqIndexInPlace() {
        // The store refuses a taken seq only once the unique (room, seq) index exists: created as the context starts.
        await().atMost(WAIT).until(() -> mongo.indexOps("chats").getIndexInfo().any(index -> index.getName().equals("room_seq"))
                .block(WAIT));
    }

    @Test
    void twoNodesWritingOneRoomAtOnceStoreEveryLineOnceWithContiguousSeqs() {
        String roomId = Visitor.arrive(port).createRoom("Two nodes", 10, null);
        NodeStore storeA = new NodeStore();
        NodeStore storeB = new NodeStore();
        List<RoomLog> nodes = List.of(node(storeA, order), node(storeB, order));
        int lines = 400;
        AtomicInteger busy = new AtomicInteger();
        long started = System.nanoTime();

        // Each sender on its own node; one told "busy" sends again with the same id, on the other node (as a client
        // that reconnects elsewhere would).
        List<Chat> answers = Flux.range(0, lines).flatMap(n -> {
            AtomicInteger attempt = new AtomicInteger(n);
            return Mono.defer(() -> say(nodes.get(attempt.getAndIncrement() % 2), roomId, "line " + n))
                    .doOnError(Refusal.class, e -> busy.incrementAndGet())
                    .retryWhen(Retry.max(5).filter(e -> e instanceof Refusal r && r.reason() == Refusal.Reason.BUSY));
        }, 16).collectList().block(WAIT);
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        System.out.printf("two nodes, %d lines in %d ms: %d + %d inserts, %d + %d conflicts, %d busy answers%n", lines,
                elapsed, storeA.inserts.get(), storeB.inserts.get(), storeA.conflicts.get(), storeB.conflicts.get(),
                busy.get());
        assertThat(answers).hasSize(lines).doesNotContainNull();
        List<Chat> stored = stored(roomId);
        assertThat(stored.stream().map(Chat::seq).toList()).as("seqs 1..N, no gap, none twice").isEqualTo(oneTo(lines));
        assertThat(stored.stream().map(Chat::chat).distinct().count()).as("every line stored once").isEqualTo(lines);
        Map<String, Long> seqOf = stored.stream().collect(Collectors.toMap(Chat::id, Chat::seq));
        assertThat(answers).allSatisfy(answer -> assertThat(answer.seq()).isEqualTo(seqOf.get(answer.id())));
        assertThat(storeA.conflicts.get() + storeB.conflicts.get())
                .as("the two nodes met on seqs (else this test proved nothing)").isPositive();
    }

    @Test
    void aNodeStartsItsBatchAboveTheLinesItSawFromAnotherNode() {
        String roomId = Visitor.arrive(port).createRoom("Seen lines", 10, null);
        String topic = RoomTopics.room(roomId);
        LineOrder seenByA = new LineOrder(chats, json, cluster, properties);
        seenByA.opened(topic, (destination, contentType, body) -> {
        });
        NodeStore storeA = new NodeStore();
        RoomLog nodeA = node(storeA, seenByA);
        RoomLog nodeB = node(new NodeStore(), order);

        assertThat(say(nodeA, roomId, "one").block(WAIT).seq()).isEqualTo(1);
        assertThat(say(nodeB, roomId, "two").block(WAIT).seq()).isEqualTo(2);
        assertThat(say(nodeB, roomId, "three").block(WAIT).seq()).isEqualTo(3);
        // B's lines reach A (through Redis, in a cluster).
        seenByA.arrived(topic, 3, WireJson.CONTENT_TYPE, new byte[0]);
        seenByA.arrived(topic, 2, WireJson.CONTENT_TYPE, new byte[0]);

        storeA.inserts.set(0);
        assertThat(say(nodeA, roomId, "four").block(WAIT).seq()).isEqualTo(4);
        assertThat(storeA.conflicts).as("A did not try seq 2 again").hasValue(0);
        assertThat(storeA.inserts).hasValue(1);
        seenByA.closed(topic);
    }

    @Test
    void aLineWhoseSecondInsertMeetsAnotherNodesLineTooIsStoredAfterIt() {
        String roomId = Visitor.arrive(port).createRoom("Contested", 10, null);
        NodeStore store = new NodeStore();
        store.rivals.set(3); // the first insert and two recoveries lose their seq
        Chat line = say(node(store, order), roomId, "contested line").block(WAIT);

        assertThat(line.seq()).isEqualTo(4);
        assertThat(store.conflicts).hasValue(3);
        List<Chat> stored = stored(roomId);
        assertThat(stored.stream().map(Chat::seq).toList()).isEqualTo(oneTo(4));
        assertThat(stored.stream().filter(chat -> chat.chat().equals("contested line"))).hasSize(1);
    }

    @Test
    void aLineThatLosesItsSeqEveryRoundIsRefusedAsBusyAndStoredOnceWhenSentAgain() {
        String roomId = Visitor.arrive(port).createRoom("Always contested", 10, null);
        NodeStore store = new NodeStore();
        RoomLog node = node(store, order);
        store.rivals.set(1 + RoomLog.MAX_RECOVERIES);

        Throwable refused = catchThrowable(() -> say(node, roomId, "contested line").block(WAIT));
        assertThat(refused).isInstanceOf(Refusal.class).hasMessage("The message could not be stored; try again.");
        assertThat(((Refusal) refused).reason()).isEqualTo(Refusal.Reason.BUSY);
        assertThat(stored(roomId).stream().map(Chat::seq).toList()).isEqualTo(oneTo(1 + RoomLog.MAX_RECOVERIES));

        Chat again = say(node, roomId, "contested line").block(WAIT);
        assertThat(again.seq()).isEqualTo(2 + RoomLog.MAX_RECOVERIES);
        List<Chat> stored = stored(roomId);
        assertThat(stored.stream().map(Chat::seq).toList()).isEqualTo(oneTo(2 + RoomLog.MAX_RECOVERIES));
        assertThat(stored.stream().filter(chat -> chat.chat().equals("contested line"))).hasSize(1);
    }

    @Test
    void linesABatchStoredBeforeItsConflictArePublishedOnceInSeqOrder() throws Exception {
        Visitor owner = Visitor.arrive(port);
        String roomId = owner.createRoom("Published once", 10, null);
        try (RawStompClient client = RawStompClient.connected(port, owner.cookieHeader())) {
            client.send("SUBSCRIBE\nid:room\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
            await(client, frame -> frame.startsWith("RECEIPT"));
            // The owner's join is seq 1, written by the app's own log (published before this subscription counts).
            await().atMost(WAIT).until(() -> stored(roomId).size() == 1);
            NodeStore store = new NodeStore();
            RoomLog node = node(store, order);
            store.rivals.set(2);

            // The first line's batch reads the room's seq from the store; the next two queue behind it: one batch.
            List<CompletableFuture<Chat>> answers = new ArrayList<>();
            for (String text : List.of("first", "contested B", "contested C")) {
                CompletableFuture<Chat> answer = new CompletableFuture<>();
                answers.add(answer);
                String key = roomId + ":i1:" + text;
                node.offer(roomId, key, seq -> Chat.text(key, roomId, seq, WHO, text, text, Instant.now()),
                        new Lane.Reply<>() {
                            @Override
                            public void success(Chat value) {
                                answer.complete(value);
                            }

                            @Override
                            public void error(Throwable error) {
                                answer.completeExceptionally(error);
                            }
                        });
            }
            List<Long> seqs = new ArrayList<>();
            for (CompletableFuture<Chat> answer : answers) {
                seqs.add(answer.get(30, TimeUnit.SECONDS).seq());
            }
            // B stored at 3 before C lost 4, C lost 5 too, then took 6.
            assertThat(seqs).containsExactly(2L, 3L, 6L);
            assertThat(store.contestedBatches).as("B and C were one batch").first().isEqualTo(2);
            assertThat(stored(roomId).stream().map(Chat::seq).toList()).isEqualTo(oneTo(6));

            List<String> published = new ArrayList<>();
            Function<String, Boolean> isMessage = frame -> frame.startsWith("MESSAGE") && frame.contains("\"type\":\"chat\"");
            for (int i = 0; i < 3; i++) {
                published.add(seqOf(await(client, isMessage::apply)));
            }
            assertThat(published).containsExactly("2", "3", "6");
            say(node, roomId, "after").block(WAIT);
            assertThat(seqOf(await(client, isMessage::apply))).as("no line published twice").isEqualTo("7");
        }
    }

    static String seqOf(String frame) {
        int at = frame.indexOf("\"seq\":") + 6;
        int end = at;
        while (Character.isDigit(frame.charAt(end))) {
            end++;
        }
        return frame.substring(at, end);
    }
}
