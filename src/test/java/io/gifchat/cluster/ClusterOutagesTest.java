package io.gifchat.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.gifchat.room.Visitor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes on a Redis of the test's own (started once for the class; each test has rooms of its own), and what
 * happens when a part dies. Redis, mid-conversation, coming back empty: meanwhile each node serves its own members
 * and says {@code cluster} DOWN; afterwards Lettuce reconnects and subscribes again, the heartbeat subscribes what
 * Redis never confirmed, delivery across the nodes resumes, and what did not cross meanwhile is in the history,
 * where the page's catch-up ({@code ?after=<last seq>}) reads it; someone who entered on one node meanwhile (its
 * seats decide alone) gets the other node's lines too. A node, killed: the other one goes on and soon
 * counts it dead; started again on its port it is a new node, and its members catch up.
 */
@ExtendWith(NodeLogsOnFailure.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterOutagesTest {

    /** Lettuce's reconnect delay grows to 30 s: delivery resumes within that, a heartbeat and some slack. */
    static final Duration RESUMES_WITHIN = Duration.ofSeconds(40);
    /** Short, so a killed node is counted dead soon (the default is 10 s). */
    static final Duration NODE_TIMEOUT = Duration.ofSeconds(3);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    PrivateRedis redis;
    ClusterRun cluster;
    NodeProcess a;
    NodeProcess b;
    final List<RoomTab> tabs = new ArrayList<>();

    @BeforeAll
    void startCluster() {
        PrivateRedis.requireInstalled();
        redis = PrivateRedis.start(Path.of("target", "cluster-runs", "outages-redis-" + UUID.randomUUID() + ".log")
                .toAbsolutePath());
        // Beats (and repairs) every 500 ms rather than 2 s: the tests wait for them.
        cluster = ClusterRun.on(redis, "outages", 2, "--gifchat.cluster.heartbeat=500ms",
                "--gifchat.cluster.node-timeout=" + NODE_TIMEOUT.toSeconds() + "s");
        a = cluster.node(0);
        b = cluster.node(1);
    }

    @AfterEach
    void closeTabs() {
        tabs.forEach(RoomTab::close);
        tabs.clear();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void whileRedisIsDownEachNodeServesItsOwnMembersAndOnceItIsBackDeliveryResumesAndTheHistoryFillsTheGap() {
        String roomId = a.arrive().createRoom("Through an outage", 10, null);
        RoomTab aliceOnA = tab(RoomTab.enter(a, a.arrive(), roomId));
        RoomTab carolOnA = tab(RoomTab.enter(a, a.arrive(), roomId));
        RoomTab bobOnB = tab(RoomTab.enter(b, b.arrive(), roomId));
        RoomTab daveOnB = tab(RoomTab.enter(b, b.arrive(), roomId));
        Visitor frank = b.arrive();
        aliceOnA.sayReceipted("before the outage");
        long before = daveOnB.awaitChat("before the outage", RoomTab.WAIT).get("seq").asLong();
        assertThat(a.clusterStatus()).isEqualTo("UP");

        long down = System.nanoTime();
        redis.kill();
        for (NodeProcess node : cluster.nodes()) {
            awaitClusterStatus(node, "DOWN", Duration.ofSeconds(10));
        }
        log("cluster DOWN on both nodes %d ms after Redis died", since(down));

        aliceOnA.sayReceipted("while down, on a");
        carolOnA.awaitChat("while down, on a", RoomTab.WAIT);
        bobOnB.sayReceipted("while down, on b");
        daveOnB.awaitChat("while down, on b", RoomTab.WAIT);

        // Entering while Redis is down: this node's seats decide (its seat goes into Redis once it answers).
        RoomTab frankOnB = tab(RoomTab.enter(b, frank, roomId));

        // Typing signals subscribed on both nodes during the outage: neither SUBSCRIBE reached Redis, so their
        // channels are subscribed by the heartbeat's repair, not by Lettuce's resubscribe. The RECEIPTs do not
        // wait for Redis.
        long subscribing = System.nanoTime();
        aliceOnA.subscribe("typing", "/topic/chat/" + roomId + "/typing");
        bobOnB.subscribe("typing", "/topic/chat/" + roomId + "/typing");
        assertThat(since(subscribing)).as("ms for two SUBSCRIBEs while Redis is down").isLessThan(5_000);

        long back = System.nanoTime();
        redis.startAgain();
        for (NodeProcess node : cluster.nodes()) {
            awaitClusterStatus(node, "UP", RESUMES_WITHIN);
        }
        log("cluster UP on both nodes %d ms after Redis came back", since(back));
        awaitResumed(aliceOnA, daveOnB, "a to b", back);
        awaitResumed(bobOnB, carolOnA, "b to a", back);
        awaitTyping(bobOnB, aliceOnA, back);
        awaitTyping(aliceOnA, bobOnB, back);
        log("delivery across the nodes resumed in every direction %d ms after Redis came back", since(back));
        for (NodeProcess node : cluster.nodes()) {
            awaitLiveNodes(node, 2, Duration.ofSeconds(5));
        }

        // A line published while Redis was down was dropped for the other node; the next lines that cross show node
        // b's reorder buffer the gap, which it fills from the store: Dave sees it live after all, once, in its place.
        assertThat(daveOnB.getsLine(RoomTab.chat("while down, on a"), RoomTab.WAIT))
                .as("the gap filled from the store once the next line crossed").isTrue();
        daveOnB.drain(Duration.ofMillis(300));
        assertThat(daveOnB.lines.stream().filter(RoomTab.chat("while down, on a"))).as("once").hasSize(1);
        assertThat(daveOnB.seqs()).as("the lines Dave got live: in seq order, each once").doesNotHaveDuplicates()
                .isSorted();
        List<JsonNode> caughtUp = history(daveOnB.visitor, b, roomId, before);
        List<Long> seqs = caughtUp.stream().map(line -> line.get("seq").asLong()).toList();
        assertThat(seqs).as("the catch-up after the last line seen: no gap")
                .isEqualTo(LongStream.rangeClosed(before + 1, before + seqs.size()).boxed().toList());
        assertThat(caughtUp.stream().map(line -> line.path("chat").asString("")).toList())
                .as("the catch-up holds what did not cross").contains("while down, on a", "while down, on b");
        assertThat(a.health().path("components").path("cluster").path("details").path("undelivered").asLong())
                .as("node a counted what it could not publish").isPositive();
        aliceOnA.sayReceipted("for Frank too");
        frankOnB.awaitChat("for Frank too", RoomTab.WAIT);
    }

    /**
     * {@code from} signals typing until {@code to} gets one (a signal goes out at most every 2 s); fails if none
     * does within {@link #RESUMES_WITHIN} of Redis coming back.
     */
    private void awaitTyping(RoomTab from, RoomTab to, long back) {
        String name = from.visitor.name();
        while (true) {
            from.typing();
            if (to.gets(frame -> frame.contains("\"type\":\"typing\"") && frame.contains(name), Duration.ofMillis(500))) {
                return;
            }
            if (since(back) > RESUMES_WITHIN.toMillis()) {
                throw new AssertionError("no typing signal of " + name + " reached " + to + " within " + RESUMES_WITHIN
                        + " of Redis coming back; logs:" + cluster.tails());
            }
        }
    }

    /**
     * Node b dies (SIGKILL: it tells nobody). Node a goes on serving its members and, after the node timeout, counts
     * one live node; b, started again on its port, is a new node (a new id), both count two, and Bob, back on b,
     * finds what was said while b was dead in the history, and talks across the nodes again.
     */
    @Test
    void aKilledNodeDropsOutOfTheLiveNodesAndRestartedIsANewNodeWhoseMembersCatchUp() {
        String roomId = a.arrive().createRoom("Through a crash", 10, null);
        RoomTab aliceOnA = tab(RoomTab.enter(a, a.arrive(), roomId));
        Visitor bob = b.arrive();
        RoomTab bobOnB = tab(RoomTab.enter(b, bob, roomId));
        aliceOnA.sayReceipted("before the crash");
        long seen = bobOnB.awaitChat("before the crash", RoomTab.WAIT).get("seq").asLong();
        String before = nodeId(b);

        long killed = System.nanoTime();
        b.kill();
        awaitLiveNodes(a, 1, NODE_TIMEOUT.plusSeconds(5));
        log("node a counts one live node %d ms after node b was killed", since(killed));
        assertThat(a.clusterStatus()).as("Redis is fine: the cluster component stays UP").isEqualTo("UP");
        aliceOnA.sayReceipted("while b is dead");

        long restarting = System.nanoTime();
        b.restart();
        log("node b ready again %d ms after its restart began", since(restarting));
        assertThat(nodeId(b)).as("a restarted node is a new one").isNotEqualTo(before);
        for (NodeProcess node : cluster.nodes()) {
            awaitLiveNodes(node, 2, Duration.ofSeconds(5));
        }

        RoomTab bobAgain = tab(RoomTab.enter(b, bob, roomId)); // the same session: it is in the shared store
        assertThat(history(bob, b, roomId, seen).stream().map(line -> line.path("chat").asString("")).toList())
                .as("the catch-up holds what was said while b was dead").contains("while b is dead");
        aliceOnA.sayReceipted("after the restart");
        bobAgain.awaitChat("after the restart", RoomTab.WAIT);
        bobAgain.sayReceipted("b is back");
        aliceOnA.awaitChat("b is back", RoomTab.WAIT);
    }

    private static String nodeId(NodeProcess node) {
        return node.health().path("components").path("cluster").path("details").path("node").asString("");
    }

    /**
     * {@code from} says numbered probes, one every half second, until one reaches {@code to}; fails if none does
     * within {@link #RESUMES_WITHIN} of Redis coming back. Once one did, the next reaches it too.
     */
    private void awaitResumed(RoomTab from, RoomTab to, String direction, long back) {
        for (int probe = 0; ; probe++) {
            String text = "probe " + direction + " " + probe;
            from.sayReceipted(text);
            if (to.getsLine(RoomTab.chat(text), Duration.ofMillis(500))) {
                break;
            }
            if (since(back) > RESUMES_WITHIN.toMillis()) {
                throw new AssertionError("no line crossed " + direction + " within " + RESUMES_WITHIN
                        + " of Redis coming back; logs:" + cluster.tails());
            }
        }
        from.sayReceipted("resumed " + direction);
        to.awaitChat("resumed " + direction, RoomTab.WAIT);
    }

    private void awaitClusterStatus(NodeProcess node, String status, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last;
        while (!(last = node.clusterStatus()).equals(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node + ": cluster status not " + status + " within " + timeout + " (last "
                        + last + "); log tail:\n" + node.tail());
            }
            NodeProcess.pause(Duration.ofMillis(100));
        }
    }

    private static void awaitLiveNodes(NodeProcess node, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode nodes;
        while ((nodes = node.health().path("components").path("cluster").path("details").path("nodes")).size() != count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(node + ": not " + count + " live nodes within " + timeout + " (last " + nodes + ")");
            }
            NodeProcess.pause(Duration.ofMillis(100));
        }
    }

    /** What the room page's catch-up reads: every line after {@code after}, page by page. */
    private static List<JsonNode> history(Visitor visitor, NodeProcess node, String roomId, long after) {
        Visitor onNode = node.as(visitor);
        List<JsonNode> lines = new ArrayList<>();
        while (true) {
            JsonNode page = JSON.readTree(onNode.get("/api/rooms/" + roomId + "/chats?after=" + after + "&limit=200")
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
            if (page.isEmpty()) {
                return lines;
            }
            page.forEach(lines::add);
            after = lines.get(lines.size() - 1).get("seq").asLong();
        }
    }

    private RoomTab tab(RoomTab tab) {
        tabs.add(tab);
        return tab;
    }

    private static long since(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private static void log(String format, Object... args) {
        System.out.printf("[ClusterOutagesTest] " + format + "%n", args);
    }
}
