package io.gifchat.room;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.gifchat.MovableClock;
import io.gifchat.RedisTools;
import io.gifchat.cluster.ClusterProperties;
import io.gifchat.cluster.Node;
import io.gifchat.cluster.Nodes;
import io.gifchat.identity.Identity;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Presence shared in Redis, as two nodes see it: two {@link SharedPresence}s with their own node ids on the real
 * Redis, in a namespace of their own. Capacity, tabs, joins, exits, kicks, dead nodes and a Redis that lost its
 * data, across the two.
 */
class SharedPresenceTest {

    static final Duration WAIT = Duration.ofSeconds(10);
    static final Identity ANN = new Identity("ann", "Ann", "#123456");
    static final Identity BOB = new Identity("bob", "Bob", "#654321");

    final MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
    final ClusterProperties cluster = new ClusterProperties(true, "test-" + UUID.randomUUID(), Duration.ofSeconds(2),
            Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofMillis(150), Duration.ofSeconds(2));
    final RoomProperties rooms = new RoomProperties(Duration.ofSeconds(30), Duration.ofSeconds(30), Duration.ofSeconds(3),
            Duration.ofMinutes(10), 5, Duration.ofMinutes(1), 50, Duration.ofMinutes(10), 10_000);
    LettuceConnectionFactory factory;
    RedisClient client;
    StatefulRedisConnection<byte[], byte[]> connection;
    ReactiveStringRedisTemplate redis;
    Nodes nodesA;
    Nodes nodesB;
    SharedPresence a;
    SharedPresence b;

    @BeforeEach
    void start() {
        RedisTools.requireRedis();
        factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", 6379));
        factory.afterPropertiesSet();
        factory.start();
        redis = new ReactiveStringRedisTemplate(factory);
        client = RedisClient.create(RedisTools.URL);
        connection = client.connect(ByteArrayCodec.INSTANCE);
        nodesA = new Nodes(connection, cluster, Node.fresh(), clock);
        nodesB = new Nodes(connection, cluster, Node.fresh(), clock);
        JsonMapper json = JsonMapper.builder().build();
        a = new SharedPresence(redis, nodesA, cluster, json, rooms, clock);
        b = new SharedPresence(redis, nodesB, cluster, json, rooms, clock);
    }

    @AfterEach
    void stop() {
        if (redis != null) {
            redis.keys(cluster.namespace() + ":*").flatMap(redis::delete).blockLast(WAIT);
            connection.close();
            client.shutdown();
            factory.destroy();
        }
    }

    @Test
    void fiftyJoinersSpreadOverTwoNodesToARoomOfTenGetExactlyTenPlaces() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Places.Entry>> entries = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                SharedPresence node = i % 2 == 0 ? a : b;
                Identity who = new Identity("joiner-" + i, "Joiner " + i, "#000000");
                String connection = "c" + i;
                Callable<Places.Entry> enter = () -> node.enter("r1", connection, who, 10, id -> false).block(WAIT);
                entries.add(pool.submit(enter));
            }
            List<Places.Entry> results = new ArrayList<>();
            for (Future<Places.Entry> entry : entries) {
                results.add(entry.get());
            }
            assertThat(results).filteredOn(e -> e == Places.Entry.ENTERED).hasSize(10);
            assertThat(results).filteredOn(e -> e == Places.Entry.FULL).hasSize(40);
            assertThat(a.count("r1").block(WAIT)).isEqualTo(10);
            assertThat(b.members("r1").block(WAIT)).hasSize(10);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void tabsOnTwoNodesCountOnceAndTheJoinAndExitAreHandedOutOnce() {
        assertThat(a.enter("r2", "a1", ANN, 1, id -> false).block(WAIT)).isEqualTo(Places.Entry.ENTERED);
        assertThat(b.enter("r2", "b1", ANN, 1, id -> false).block(WAIT)).as("the same identity: its place")
                .isEqualTo(Places.Entry.ALREADY_PRESENT);
        assertThat(b.enter("r2", "b2", BOB, 1, id -> false).block(WAIT)).as("one place, taken").isEqualTo(Places.Entry.FULL);
        assertThat(a.arrive("r2", "a1", "ann").block(WAIT)).isEqualTo(Places.Arrival.JOINED);
        assertThat(b.arrive("r2", "b1", "ann").block(WAIT)).isEqualTo(Places.Arrival.ALREADY_JOINED);
        assertThat(a.count("r2").block(WAIT)).isEqualTo(1);

        assertThat(a.leave("r2", "a1", "ann", true).block(WAIT)).isEqualTo(Places.Departure.STAYS);
        assertThat(b.isPresent("r2", "ann").block(WAIT)).isTrue();
        assertThat(a.isPresent("r2", "ann").block(WAIT)).as("asked on a node without its tab").isTrue();
        assertThat(b.leave("r2", "b1", "ann", true).block(WAIT)).isEqualTo(Places.Departure.LEAVING);
        assertThat(a.isPresent("r2", "ann").block(WAIT)).as("in its leave-grace: no member").isFalse();
        assertThat(a.count("r2").block(WAIT)).as("but it holds its place").isEqualTo(1);

        clock.advance(Duration.ofSeconds(4));
        Instant deadline = clock.instant().minus(rooms.leaveGrace());
        List<Places.Exit> exits = new ArrayList<>(a.releaseLeftBefore(deadline).block(WAIT));
        exits.addAll(b.releaseLeftBefore(deadline).block(WAIT));
        assertThat(exits).as("one exit, to one node").extracting(Places.Exit::who).containsExactly(ANN);
        assertThat(a.count("r2").block(WAIT)).isZero();
    }

    @Test
    void comingBackThroughTheOtherNodeWithinTheLeaveGraceKeepsThePlaceAndAnnouncesNothing() {
        a.enter("r3", "a1", ANN, 5, id -> false).block(WAIT);
        a.arrive("r3", "a1", "ann").block(WAIT);
        assertThat(a.leave("r3", "a1", "ann", true).block(WAIT)).isEqualTo(Places.Departure.LEAVING);
        assertThat(b.enter("r3", "b1", ANN, 5, id -> false).block(WAIT)).isEqualTo(Places.Entry.ALREADY_PRESENT);
        assertThat(b.arrive("r3", "b1", "ann").block(WAIT)).isEqualTo(Places.Arrival.ALREADY_JOINED);
        clock.advance(Duration.ofSeconds(10));
        assertThat(a.releaseLeftBefore(clock.instant()).block(WAIT)).isEmpty();
        assertThat(b.isPresent("r3", "ann").block(WAIT)).isTrue();
    }

    @Test
    void aKickOnOneNodeKeepsTheIdentityOutOnTheOther() {
        a.enter("r4", "a1", BOB, 5, id -> false).block(WAIT);
        assertThat(b.remove("r4", "bob", clock.instant().plus(Duration.ofMinutes(10)), () -> {
        }).block(WAIT)).isEqualTo(BOB);
        assertThat(b.isPresent("r4", "bob").block(WAIT)).isFalse();
        assertThat(a.isPresent("r4", "bob").block(WAIT)).as("out on its own node too, before the notice comes")
                .isFalse();
        assertThat(b.enter("r4", "b9", BOB, 5, id -> false).block(WAIT)).isEqualTo(Places.Entry.BANNED);
        assertThat(a.enter("r4", "a9", BOB, 5, id -> false).block(WAIT)).isEqualTo(Places.Entry.BANNED);
        clock.advance(Duration.ofMinutes(11));
        assertThat(a.enter("r4", "a9", BOB, 5, id -> false).block(WAIT)).as("the ban ran out").isEqualTo(Places.Entry.ENTERED);
    }

    @Test
    void aDeadNodesMembersAreReleasedByOneSurvivorAfterTheLeaveGrace() {
        nodesA.beat().block(WAIT);
        nodesB.beat().block(WAIT);
        b.enter("r5", "b1", BOB, 5, id -> false).block(WAIT);
        b.arrive("r5", "b1", "bob").block(WAIT);
        a.enter("r5", "a1", ANN, 5, id -> false).block(WAIT);
        a.arrive("r5", "a1", "ann").block(WAIT);

        clock.advance(Duration.ofSeconds(11)); // node B stops beating (killed); node A goes on
        nodesA.beat().block(WAIT);
        assertThat(a.releaseDeadNodes().block(WAIT)).as("held for the leave-grace first").isEmpty();
        assertThat(b.releaseDeadNodes().block(WAIT)).as("buried once").isEmpty();
        assertThat(a.isPresent("r5", "bob").block(WAIT)).isFalse();
        assertThat(a.count("r5").block(WAIT)).isEqualTo(2);

        clock.advance(Duration.ofSeconds(4));
        assertThat(a.releaseLeftBefore(clock.instant().minus(rooms.leaveGrace())).block(WAIT))
                .extracting(Places.Exit::who).containsExactly(BOB);
        assertThat(a.members("r5").block(WAIT)).containsExactly(ANN);
    }

    @Test
    void aRedisThatLostItsDataGetsEachNodesPlacesBack() {
        a.enter("r6", "a1", ANN, 5, id -> false).block(WAIT);
        a.arrive("r6", "a1", "ann").block(WAIT);
        b.enter("r6", "b1", BOB, 5, id -> false).block(WAIT);
        redis.keys(cluster.namespace() + ":*").flatMap(redis::delete).blockLast(WAIT); // a restart without persistence
        assertThat(a.count("r6").block(WAIT)).isZero();
        assertThat(a.isPresent("r6", "ann").block(WAIT)).as("Redis knows nothing of the room: node A's seat answers")
                .isTrue();

        assertThat(a.resync().block(WAIT)).isEmpty();
        assertThat(b.resync().block(WAIT)).isEmpty();
        assertThat(a.members("r6").block(WAIT)).containsExactlyInAnyOrder(ANN, BOB);
        assertThat(b.arrive("r6", "b1", "bob").block(WAIT)).as("put back as joined: nothing announced again")
                .isEqualTo(Places.Arrival.ALREADY_JOINED);
        assertThat(a.leave("r6", "a1", "ann", false).block(WAIT)).isEqualTo(Places.Departure.LEFT);
    }

    @Test
    void aPlaceRedisMissedTheEndOfIsReleasedWhenItsNodeResyncs() {
        a.enter("r7", "a1", ANN, 5, id -> false).block(WAIT);
        a.arrive("r7", "a1", "ann").block(WAIT);
        // Bob's tab on node A closed while Redis was down: Redis still holds the place, node A has no seat for it
        // (made here by a second view of node A that node A's own does not share).
        SharedPresence stale = new SharedPresence(redis, nodesA, cluster, JsonMapper.builder().build(), rooms, clock);
        stale.enter("r7", "a2", BOB, 5, id -> false).block(WAIT);
        stale.arrive("r7", "a2", "bob").block(WAIT);
        assertThat(b.isPresent("r7", "bob").block(WAIT)).isTrue();

        assertThat(a.resync().block(WAIT)).isEmpty();
        assertThat(b.isPresent("r7", "bob").block(WAIT)).as("released, held for its leave-grace").isFalse();
        assertThat(b.isPresent("r7", "ann").block(WAIT)).isTrue();
        clock.advance(Duration.ofSeconds(4));
        assertThat(b.releaseLeftBefore(clock.instant().minus(rooms.leaveGrace())).block(WAIT))
                .extracting(Places.Exit::who).containsExactly(BOB);
    }

    @Test
    void aRoomDeletedOnOneNodeIsNoRoomForTheOthersSeatsEither() {
        a.enter("r9", "a1", ANN, 5, id -> false).block(WAIT);
        a.arrive("r9", "a1", "ann").block(WAIT);
        b.forget("r9").block(WAIT); // node B deletes the room; node A's seat stays until the notice comes
        assertThat(a.isPresent("r9", "ann").block(WAIT)).as("the room's tombstone, not a Redis that forgot").isFalse();
    }

    @Test
    void anEmptyRoomIsHandedToExactlyOneNodeForDeletion() {
        a.track("r8").block(WAIT);
        clock.advance(Duration.ofSeconds(31));
        Instant deadline = clock.instant().minus(Duration.ofSeconds(30));
        List<String> claimed = new ArrayList<>(a.emptyBefore(deadline).block(WAIT));
        claimed.addAll(b.emptyBefore(deadline).block(WAIT));
        assertThat(claimed).containsExactly("r8");
    }
}
