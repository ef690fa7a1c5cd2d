package io.gifchat.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence shared by two nodes, each in a JVM of its own: a room's capacity holds across them, one identity's tabs
 * on both count once and join once, and a node killed with SIGKILL has its members' places released by the
 * survivor within the bound (node timeout + a janitor tick + leave-grace), with their exits announced once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SharedPresenceAcrossNodesTest extends AcrossTwoNodes {

    /** The bound for a dead node's members to be gone. */
    static final Duration RELEASED_WITHIN = Duration.ofSeconds(30);

    @Override
    ClusterRun start() {
        return ClusterRun.onSharedRedis("presence", 2);
    }

    @Test
    @Order(1)
    void fiftyJoinersSplitOverBothNodesToARoomOfTenGetExactlyTenPlaces() throws Exception {
        String roomId = a.arrive().createRoom("Ten places, two nodes", 10, null);
        List<Visitor> joiners = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            joiners.add((i % 2 == 0 ? a : b).arrive());
        }
        List<RawStompClient> clients = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            clients.add(tab((i % 2 == 0 ? a : b).connect(joiners.get(i))));
        }
        ExecutorService pool = Executors.newFixedThreadPool(50);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (RawStompClient client : clients) { // all at once: 50 SUBSCRIBEs in flight over both nodes
                answers.add(pool.submit(() -> answer(client, roomId)));
            }
            int entered = 0;
            int full = 0;
            for (int i = 0; i < answers.size(); i++) {
                String frame = answers.get(i).get(30, TimeUnit.SECONDS);
                assertThat(frame).as("an answer to SUBSCRIBE %d (node %s)", i, i % 2 == 0 ? a : b)
                        .isNotNull();
                if (frame.startsWith("RECEIPT")) {
                    entered++;
                } else if (frame.contains("The room is full.")) {
                    full++;
                }
            }
            assertThat(entered).as("places taken across both nodes").isEqualTo(10);
            assertThat(full).as("refused as full").isEqualTo(40);
        } finally {
            pool.shutdownNow();
        }
        for (NodeProcess node : List.of(a, b)) {
            Map<?, ?> room = node.arrive().get("/api/rooms/" + roomId).expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            assertThat(room.get("participants")).as("%s counts every node's places", node).isEqualTo(10);
        }
    }

    @Test
    @Order(2)
    void oneIdentitysTabsOnBothNodesCountOnceAndJoinOnce() {
        String roomId = a.arrive().createRoom("Two tabs, two nodes", 5, null);
        RoomTab watcher = tab(RoomTab.enter(a, a.arrive(), roomId));
        Visitor ann = a.arrive();
        tab(RoomTab.enter(a, ann, roomId));
        RoomTab second = tab(RoomTab.enter(b, b.as(ann), roomId));
        watcher.drain(Duration.ofMillis(500));
        assertThat(watcher.lines.stream().filter(line -> "join".equals(line.path("event").asString(""))
                && ann.name().equals(line.path("user").path("name").asString(""))))
                .as("one join for two tabs on two nodes").hasSize(1);
        assertThat(b.arrive().get("/api/rooms/" + roomId).expectBody(Map.class).returnResult().getResponseBody()
                .get("participants")).isEqualTo(2);
        second.close();
        watcher.drain(Duration.ofMillis(500));
        assertThat(watcher.lines.stream().filter(line -> "exit".equals(line.path("event").asString(""))))
                .as("the other tab stays: no exit").isEmpty();
    }

    @Test
    @Order(3)
    void aKilledNodesMembersAreReleasedByTheSurvivorWithinTheBoundAndCatchUpOnIt() {
        String roomId = a.arrive().createRoom("Through a kill -9", 10, null);
        RoomTab alice = tab(RoomTab.enter(a, a.arrive(), roomId));
        Visitor bob = b.arrive();
        tab(RoomTab.enter(b, bob, roomId));
        alice.sayReceipted("before the kill");

        long killed = System.nanoTime();
        b.kill();
        JsonNode exit = alice.awaitLine(line -> "exit".equals(line.path("event").asString(""))
                && bob.name().equals(line.path("user").path("name").asString("")), RELEASED_WITHIN);
        Duration took = Duration.ofNanos(System.nanoTime() - killed);
        System.out.printf("bob's exit announced on node a %d ms after node b was killed%n", took.toMillis());
        assertThat(took).as("a dead node's members are released within the bound").isLessThan(RELEASED_WITHIN);
        assertThat(exit).isNotNull();
        assertThat(a.arrive().get("/api/rooms/" + roomId).expectBody(Map.class).returnResult().getResponseBody()
                .get("participants")).as("node b's place gone").isEqualTo(1);
        alice.sayReceipted("while bob was away");

        // Bob's browser reconnects through the load balancer to node a: same session, same identity.
        RoomTab back = tab(RoomTab.enter(a, a.as(bob), roomId));
        alice.sayReceipted("after bob came back");
        back.awaitChat("after bob came back", RoomTab.WAIT);
        List<JsonNode> history = a.as(bob).get("/api/rooms/" + roomId + "/chats?limit=100").expectStatus().isOk()
                .expectBodyList(JsonNode.class).returnResult().getResponseBody();
        List<Long> seqs = history.stream().map(line -> line.get("seq").asLong()).toList();
        assertThat(seqs).as("every stored line once, in seq order").doesNotHaveDuplicates().isSorted();
        assertThat(history.stream().map(line -> line.path("chat").asString("")))
                .contains("before the kill", "while bob was away", "after bob came back");
    }

    private static String answer(RawStompClient client, String roomId) {
        client.send("SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\n\n\0"
                + "SUBSCRIBE\nid:room\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
        // Before its RECEIPT an entrant may get the others' joins and participant lists: up to a few per place.
        for (int frames = 0; frames < 200; frames++) {
            String frame = client.next(RoomTab.WAIT);
            if (frame == null || frame.startsWith("RECEIPT") || frame.startsWith("ERROR")
                    || frame.contains("/user/queue/errors")) {
                return frame;
            }
        }
        return null;
    }
}
