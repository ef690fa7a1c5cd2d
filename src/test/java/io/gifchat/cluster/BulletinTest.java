package io.gifchat.cluster;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.gifchat.RedisTools;
import io.gifchat.domain.Announcer;
import io.gifchat.stomp.StompHeaders;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes' bulletins in one JVM, on the real Redis at 127.0.0.1:6379 under a namespace of their own: a notice
 * reaches the other node and not its poster, in the order posted and after what the poster published before it;
 * one that cannot be posted is counted and its caller goes on.
 */
class BulletinTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    /** One node: its relay and bulletin on connections of its own, and what arrived at it, in order. */
    static final class TestNode {
        final Node node = Node.fresh();
        final StatefulRedisPubSubConnection<byte[], byte[]> pubSub;
        final Relay relay;
        final RedisBulletin bulletin;
        final AnnotationConfigApplicationContext events = new AnnotationConfigApplicationContext(Announcer.class,
                Arrivals.class);
        final List<String> arrived;

        TestNode(RedisClient client, ClusterProperties properties) {
            pubSub = client.connectPubSub(ByteArrayCodec.INSTANCE);
            relay = new Relay(properties, node, pubSub);
            arrived = events.getBean(Arrivals.class).arrived;
            relay.onMessage(envelope -> arrived.add("message to " + envelope.destination()));
            bulletin = new RedisBulletin(relay, node, events.getBean(Announcer.class));
            bulletin.start();
            bulletin.listening().block(WAIT);
        }

        void close() {
            bulletin.stop();
            if (pubSub.isOpen()) {
                pubSub.close();
            }
            events.close();
        }
    }

    /** Records every notice that arrives, with the node it came from. */
    static class Arrivals {
        final List<String> arrived = new CopyOnWriteArrayList<>();

        @EventListener
        void on(NoticeArrived event) {
            arrived.add(event.origin() + ": " + event.notice());
        }
    }

    private RedisClient client;
    private final List<TestNode> nodes = new ArrayList<>();

    @BeforeEach
    void redis() {
        RedisTools.requireRedis();
        client = RedisClient.create(RedisTools.URL);
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
    }

    @AfterEach
    void close() {
        nodes.forEach(TestNode::close);
        if (client != null) {
            client.shutdown();
        }
    }

    private List<TestNode> cluster(int size) {
        ClusterProperties properties = new ClusterProperties(true, "test-" + UUID.randomUUID(), Duration.ofSeconds(2),
                Duration.ofSeconds(10), WAIT, Duration.ofMillis(150), Duration.ofSeconds(2));
        for (int i = 0; i < size; i++) {
            nodes.add(new TestNode(client, properties));
        }
        return nodes;
    }

    @Test
    void aNoticeReachesTheOtherNodeAndNotTheNodeThatPostedIt() {
        List<TestNode> cluster = cluster(2);
        TestNode a = cluster.get(0);
        TestNode b = cluster.get(1);

        a.bulletin.post(new Notice.RoomDeleted("r1"));
        await().atMost(WAIT).until(() -> !b.arrived.isEmpty());
        b.bulletin.post(new Notice.RoomDeleted("r2"));
        await().atMost(WAIT).until(() -> !a.arrived.isEmpty());

        // A's own notice reached A's connection before B's did (Redis delivers in the order it took them): ignored.
        assertThat(a.arrived).containsExactly(b.node.id() + ": " + new Notice.RoomDeleted("r2"));
        assertThat(b.arrived).containsExactly(a.node.id() + ": " + new Notice.RoomDeleted("r1"));
    }

    @Test
    void noticesArriveInTheOrderPostedAndAfterWhatTheirPosterPublishedToSubscribersBefore() {
        List<TestNode> cluster = cluster(2);
        TestNode a = cluster.get(0);
        TestNode b = cluster.get(1);
        b.relay.opened("/topic/chat/r1"); // B has subscribers in the room
        b.relay.listening("/topic/chat/r1").block(WAIT);

        a.relay.publish("/topic/chat/r1", Envelope.topic(a.node.id(), "/topic/chat/r1", 0, "application/json",
                StompHeaders.EMPTY, "{\"event\":\"roomDeleted\"}".getBytes()));
        List<String> expected = new ArrayList<>(List.of("message to /topic/chat/r1"));
        for (int i = 0; i < 20; i++) {
            Notice notice = new Notice.SubscriptionsEnded("identity-" + i, List.of("/topic/chat/r1"));
            a.bulletin.post(notice);
            expected.add(a.node.id() + ": " + notice);
        }

        await().atMost(WAIT).until(() -> b.arrived.size() >= expected.size());
        assertThat(b.arrived).containsExactlyElementsOf(expected);
    }

    @Test
    void aNoticeThatCannotBePostedIsCountedAndItsPosterGoesOn() {
        TestNode a = cluster(1).get(0);
        a.pubSub.close(); // as good as Redis gone, for this node's publishing

        a.bulletin.post(new Notice.RoomDeleted("r1"));
        a.bulletin.post(new Notice.Banned("r1", "someone", Instant.now()));

        assertThat(a.bulletin.unposted()).isEqualTo(2);
    }
}
