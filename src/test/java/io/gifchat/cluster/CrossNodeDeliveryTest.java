package io.gifchat.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on one Redis and one store, each in a JVM of its own (started once for the class; every test has rooms
 * of its own): what is sent on one node reaches the subscribers on the other — a room's lines, once each and in seq
 * order, whispers (to a member on the other node, and to every tab of an identity), typing signals, the lobby — and
 * a SUBSCRIBE's RECEIPT means what the other node publishes from then on arrives.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CrossNodeDeliveryTest extends AcrossTwoNodes {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    SlowLink slowRedisOfB;

    @Override
    ClusterRun start() {
        ClusterRun.requireSharedRedis();
        slowRedisOfB = SlowLink.to(ClusterRun.SHARED_REDIS_PORT); // no delay but in the receipt test
        return ClusterRun.onSharedRedis("cross-node", List.of(ClusterRun.SHARED_REDIS_URL, slowRedisOfB.redisUrl()));
    }

    @Override
    @AfterAll
    void stopCluster() {
        super.stopCluster();
        if (slowRedisOfB != null) {
            slowRedisOfB.close();
        }
    }

    /**
     * Two senders on each node send 25 lines each, all four at once, each line after the last one's RECEIPT; three
     * members per node (the senders and a reader) watch. Each of the six sees all 100 lines, each once, and the
     * room's lines it got from its join on have strictly increasing seqs without a gap: exactly what the store
     * holds from its first line on. A line refused with "try again" (the nodes' writes met too often) is sent again
     * with its clientId, as the page's outbox does — stored and seen once all the same; how often is printed.
     */
    @Test
    void linesSentOnBothNodesAtOnceReachEveryMemberOnEitherNodeOnceInSeqOrderWithoutGaps() throws Exception {
        String roomId = a.arrive().createRoom("Busy on both nodes", 10, null);
        List<RoomTab> tabs = new ArrayList<>();
        for (NodeProcess node : List.of(a, b)) {
            for (int i = 0; i < 3; i++) {
                tabs.add(tab(RoomTab.enter(node, node.arrive(), roomId)));
            }
        }
        List<RoomTab> senders = List.of(tabs.get(0), tabs.get(1), tabs.get(3), tabs.get(4));
        int each = 25;

        Set<String> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        java.util.concurrent.atomic.AtomicInteger sends = new java.util.concurrent.atomic.AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(senders.size());
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            for (int s = 0; s < senders.size(); s++) {
                RoomTab sender = senders.get(s);
                String who = "s" + s;
                sending.add(CompletableFuture.runAsync(() -> {
                    awaitQuietly(go);
                    for (int i = 0; i < each; i++) {
                        String clientId = UUID.randomUUID().toString();
                        sends.addAndGet(sender.sayUntilStored(who + "-" + i, clientId, 5));
                        sent.add(clientId);
                    }
                }, pool));
            }
            go.countDown();
            CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(sent).hasSize(senders.size() * each);
        System.out.printf("[CrossNodeDeliveryTest] %d lines took %d sends (the rest were refused with \"try again\")%n",
                sent.size(), sends.get());

        List<JsonNode> stored = history(tabs.get(2).visitor, roomId);
        for (RoomTab tab : tabs) {
            tab.awaitLine(line -> clientIds(tab.lines).containsAll(sent), Duration.ofSeconds(20));
            tab.drain(Duration.ofMillis(200));
            List<Long> seqs = tab.seqs();
            assertThat(clientIds(tab.lines)).as("%s: every line once", tab).doesNotHaveDuplicates().containsAll(sent);
            assertThat(seqs).as("%s: seqs strictly increasing", tab).doesNotHaveDuplicates().isSorted();
            assertThat(seqs).as("%s: no gap", tab)
                    .isEqualTo(LongStream.rangeClosed(seqs.get(0), seqs.get(seqs.size() - 1)).boxed().toList());
            assertThat(seqs).as("%s: what the store holds from its first line on", tab)
                    .isEqualTo(stored.stream().map(l -> l.get("seq").asLong()).filter(seq -> seq >= seqs.get(0)).toList());
        }
    }

    /**
     * Alice and Bob each have a tab on each node (a load balancer may send two tabs anywhere). A whisper sent on one
     * node reaches the recipient's tabs and the sender's on both nodes, and not Carol, who is in the room too.
     */
    @Test
    void aWhisperReachesTheRecipientsAndTheSendersTabsOnBothNodesAndNobodyElse() {
        String roomId = a.arrive().createRoom("Whispers on both nodes", 10, null);
        Visitor alice = a.arrive();
        Visitor bob = b.arrive();
        RoomTab aliceOnA = tab(RoomTab.enter(a, alice, roomId));
        RoomTab aliceOnB = tab(RoomTab.enter(b, alice, roomId));
        RoomTab bobOnA = tab(RoomTab.enter(a, bob, roomId));
        RoomTab bobOnB = tab(RoomTab.enter(b, bob, roomId));
        RoomTab carolOnB = tab(RoomTab.enter(b, b.arrive(), roomId));

        aliceOnA.whisper(bobOnA.identity(), "psst from node a");
        for (RoomTab tab : List.of(bobOnA, bobOnB, aliceOnA, aliceOnB)) {
            JsonNode whisper = RoomTab.body(tab.take(f -> f.contains("\"psst from node a\""), RoomTab.WAIT));
            assertThat(whisper.get("from").get("name").asString()).as("%s", tab).isEqualTo(alice.name());
        }
        bobOnB.whisper(aliceOnB.identity(), "psst from node b");
        for (RoomTab tab : List.of(aliceOnA, aliceOnB, bobOnA, bobOnB)) {
            JsonNode whisper = RoomTab.body(tab.take(f -> f.contains("\"psst from node b\""), RoomTab.WAIT));
            assertThat(whisper.get("from").get("name").asString()).as("%s", tab).isEqualTo(bob.name());
        }
        assertThat(carolOnB.gets(f -> f.contains("/user/queue/whisper"), Duration.ofMillis(500)))
                .as("Carol gets no whisper").isFalse();
    }

    /** Presence is shared by the nodes: Alice, only on node a, whispers to Bob, only on node b, and he answers. */
    @Test
    void aWhisperReachesARecipientWhoIsOnlyOnTheOtherNode() {
        String roomId = a.arrive().createRoom("Whispers from node to node", 10, null);
        Visitor alice = a.arrive();
        Visitor bob = b.arrive();
        RoomTab aliceOnA = tab(RoomTab.enter(a, alice, roomId));
        RoomTab bobOnB = tab(RoomTab.enter(b, bob, roomId));

        aliceOnA.whisper(bobOnB.identity(), "only you, on node b");
        for (RoomTab tab : List.of(bobOnB, aliceOnA)) {
            JsonNode whisper = RoomTab.body(tab.take(f -> f.contains("\"only you, on node b\""), RoomTab.WAIT));
            assertThat(whisper.get("to").get("name").asString()).as("%s", tab).isEqualTo(bob.name());
        }
        bobOnB.whisper(aliceOnA.identity(), "heard you, on node a");
        for (RoomTab tab : List.of(aliceOnA, bobOnB)) {
            JsonNode whisper = RoomTab.body(tab.take(f -> f.contains("\"heard you, on node a\""), RoomTab.WAIT));
            assertThat(whisper.get("from").get("name").asString()).as("%s", tab).isEqualTo(bob.name());
        }
    }

    @Test
    void typingOnOneNodeIsSignalledToTheMembersOnTheOther() {
        String roomId = a.arrive().createRoom("Typing on both nodes", 10, null);
        Visitor alice = a.arrive();
        Visitor bob = b.arrive();
        RoomTab aliceOnA = tab(RoomTab.enter(a, alice, roomId));
        aliceOnA.subscribe("typing", "/topic/chat/" + roomId + "/typing");
        RoomTab bobOnB = tab(RoomTab.enter(b, bob, roomId));
        bobOnB.subscribe("typing", "/topic/chat/" + roomId + "/typing");

        bobOnB.typing();
        aliceOnA.take(typingBy(bob), RoomTab.WAIT);
        aliceOnA.typing();
        bobOnB.take(typingBy(alice), RoomTab.WAIT);
    }

    /** A typing signal of {@code who} (each member's own signal comes back to it too). */
    private static java.util.function.Predicate<String> typingBy(Visitor who) {
        return frame -> frame.startsWith("MESSAGE") && frame.contains("\"type\":\"typing\"")
                && who.name().equals(RoomTab.body(frame).path("user").path("name").asString(""));
    }

    @Test
    void theLobbyOnOneNodeShowsARoomCreatedAndEnteredOnTheOther() {
        RawStompClient lobbyOnB = tab(RawStompClient.connected(b.port));
        lobbyOnB.send("SUBSCRIBE\nid:lobby\ndestination:/topic/room\nreceipt:lobby\n\n\0");
        assertThat(next(lobbyOnB, f -> f.startsWith("RECEIPT"))).contains("receipt-id:lobby");

        Visitor owner = a.arrive();
        String roomId = owner.createRoom("Seen from node b", 10, null);
        JsonNode created = RoomTab.body(next(lobbyOnB, f -> f.contains("\"newRoom\"") && f.contains(roomId)));
        assertThat(created.get("room").get("title").asString()).isEqualTo("Seen from node b");

        tab(RoomTab.enter(a, owner, roomId));
        JsonNode updated = RoomTab.body(next(lobbyOnB, f -> f.contains("\"updateRoom\"") && f.contains(roomId)));
        assertThat(updated.get("room").get("participants").asInt()).isEqualTo(1);
    }

    /**
     * A SUBSCRIBE's RECEIPT on node b waits until Redis confirmed node b listens: a line node a stores, or a typing
     * signal it publishes (no store write in between), right after that RECEIPT reaches the new subscriber. Node b's
     * link to Redis is made slow (100 ms each way), so without that wait node a's PUBLISH would reach Redis before
     * node b's SUBSCRIBE, and be lost for it. Each round is a fresh room: node b subscribes to its channels anew.
     */
    @Test
    void aSubscriptionsReceiptOnOneNodeMeansWhatTheOtherPublishesRightAfterArrives() {
        slowRedisOfB.delay(Duration.ofMillis(100));
        try {
            for (int round = 0; round < 2; round++) {
                Visitor speaker = a.arrive();
                String roomId = speaker.createRoom("Receipt round " + round, 10, null);
                RoomTab speakerOnA = tab(RoomTab.enter(a, speaker, roomId));

                long entering = System.nanoTime();
                RoomTab listenerOnB = tab(RoomTab.enter(b, b.arrive(), roomId));
                long receipt = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - entering);
                speakerOnA.say("right after the receipt " + round, "said");
                listenerOnB.awaitChat("right after the receipt " + round, Duration.ofSeconds(5));

                long subscribing = System.nanoTime();
                listenerOnB.subscribe("typing", "/topic/chat/" + roomId + "/typing");
                long typingReceipt = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - subscribing);
                speakerOnA.typing();
                assertThat(listenerOnB.gets(typingBy(speaker), Duration.ofSeconds(5)))
                        .as("round %d: the typing signal published right after the RECEIPT arrived", round).isTrue();
                System.out.printf("[CrossNodeDeliveryTest] round %d on the slow node: entering (3 SUBSCRIBEs) took %d ms,"
                        + " the typing SUBSCRIBE %d ms%n", round, receipt, typingReceipt);
            }
        } finally {
            slowRedisOfB.delay(Duration.ZERO);
        }
    }

    /** The room's whole history through the API, oldest first, as {@code visitor} (a member) reads it. */
    private static List<JsonNode> history(Visitor visitor, String roomId) {
        List<JsonNode> lines = new ArrayList<>();
        for (long after = 0; ; ) {
            JsonNode page = JSON.readTree(visitor.get("/api/rooms/" + roomId + "/chats?after=" + after + "&limit=200")
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
            if (page.isEmpty()) {
                return lines;
            }
            page.forEach(lines::add);
            after = lines.get(lines.size() - 1).get("seq").asLong();
        }
    }

    private static List<String> clientIds(List<JsonNode> lines) {
        return lines.stream().filter(line -> line.hasNonNull("clientId")).map(line -> line.get("clientId").asString())
                .toList();
    }

    private static String next(RawStompClient client, java.util.function.Predicate<String> match) {
        for (int i = 0; i < 200; i++) {
            String frame = client.next(RoomTab.WAIT);
            assertThat(frame).as("a matching frame arrived").isNotNull();
            if (match.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no matching frame");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
