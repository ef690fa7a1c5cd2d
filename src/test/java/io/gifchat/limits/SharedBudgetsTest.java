package io.gifchat.limits;

import io.gifchat.RedisTools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.gifchat.cluster.ClusterProperties;
import io.gifchat.domain.Refusal;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Cluster mode's budgets on the real Redis at 127.0.0.1:6379: two {@link BucketStore}s on two connections are two
 * nodes. Each test has a namespace of its own, so runs sharing the Redis never meet. Without a Redis the tests are
 * skipped, except under {@code CI=true}, where they fail.
 */
class SharedBudgetsTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int REDIS_PORT = 6379;

    private final String namespace = "test-" + UUID.randomUUID();
    private final List<AutoCloseable> closing = new ArrayList<>();
    private ClientResources resources;

    @BeforeEach
    void redisIsThere() {
        RedisTools.requireRedis();
        // Reconnecting soon after a mended cable, instead of Lettuce's backoff of up to 30 s.
        resources = ClientResources.builder().reconnectDelay(Delay.constant(Duration.ofMillis(50))).build();
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (resources == null) {
            return;
        }
        try {
            var commands = connect(REDIS_PORT).sync();
            var scan = commands.scan(ScanArgs.Builder.matches(namespace + ":*").limit(1000));
            while (true) {
                if (!scan.getKeys().isEmpty()) {
                    commands.del(scan.getKeys().toArray(new byte[0][]));
                }
                if (scan.isFinished()) {
                    break;
                }
                scan = commands.scan(scan, ScanArgs.Builder.matches(namespace + ":*").limit(1000));
            }
        } finally {
            for (int i = closing.size() - 1; i >= 0; i--) {
                closing.get(i).close();
            }
            resources.shutdown(0, 2, TimeUnit.SECONDS).get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void twoNodesSpendFromOneBudget() {
        LimitsProperties limits = BudgetsTest.limits(Map.of("rooms", "4/10m"));
        Budgets one = new Budgets(limits, node(REDIS_PORT, limits));
        Budgets two = new Budgets(limits, node(REDIS_PORT, limits));

        spend(one, "alice");
        spend(one, "alice");
        spend(two, "alice");
        spend(two, "alice");

        for (Budgets node : List.of(one, two)) {
            assertThatThrownBy(() -> spend(node, "alice")).isInstanceOfSatisfying(Refusal.class, refusal -> {
                assertThat(refusal.reason()).isEqualTo(Refusal.Reason.TOO_MANY);
                assertThat(refusal.getMessage()).isEqualTo(Budget.ROOMS.message());
                assertThat(refusal.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(150));
            });
        }
        spend(two, "bob"); // still one budget per key
        assertThat(one.tracked(Budget.ROOMS)).as("nothing kept in the node's own buckets while Redis answers").isZero();
    }

    @Test
    void aBudgetsKeyInRedisIsOnePerClientAndExpiresOnceItsBucketIsFullAgain() {
        LimitsProperties limits = BudgetsTest.limits(Map.of("rooms", "4/10m"));
        Budgets budgets = new Budgets(limits, node(REDIS_PORT, limits));

        spend(budgets, "alice");

        var redis = connect(REDIS_PORT).sync();
        byte[] key = (namespace + ":bucket:rooms:alice").getBytes(StandardCharsets.UTF_8);
        // One of four spent: full again in a quarter of the period.
        assertThat(redis.pttl(key)).isPositive().isLessThanOrEqualTo(Duration.ofSeconds(150).toMillis());
        assertThat(redis.keys(namespace + ":*")).hasSize(1);
    }

    @Test
    void oneKeysAnswersComeInTheOrderTheyWereAskedAsAConnectionsChatMessagesMust() {
        Buckets buckets = node(REDIS_PORT, BudgetsTest.limits(Map.of())).buckets("chat-rate", Rate.parse("50/1h"), 100);
        List<Integer> answered = new CopyOnWriteArrayList<>();
        List<Boolean> allowed = new CopyOnWriteArrayList<>();

        for (int i = 0; i < 120; i++) {
            int n = i;
            buckets.tryConsume("alice").subscribe(ok -> {
                answered.add(n);
                allowed.add(ok);
            });
        }

        await().atMost(WAIT).until(() -> answered.size() == 120);
        assertThat(answered).isSorted();
        assertThat(allowed.subList(0, 50)).containsOnly(true);
        assertThat(allowed.subList(50, 120)).containsOnly(false);
    }

    @Test
    void redisGoneTheNodeDecidesWithItsOwnBucketsAtOnceAndSharesAgainWhenItIsBack() throws IOException {
        ListAppender<ILoggingEvent> logged = listen();
        LimitsProperties limits = BudgetsTest.limits(Map.of("rooms", "2/10m"));
        Cable cable = cable();
        Budgets one = new Budgets(limits, node(cable.port(), limits));
        Budgets two = new Budgets(limits, node(REDIS_PORT, limits));
        spend(one, "alice"); // in Redis

        cable.cut(); // and the port closed: reconnecting fails

        // Decided here, at once: this node's own bucket for alice is full, so two more and no more.
        StepVerifier.create(one.spend(Budget.ROOMS, "alice")).expectComplete().verify(WAIT);
        StepVerifier.create(one.spend(Budget.ROOMS, "alice")).expectComplete().verify(WAIT);
        StepVerifier.create(one.spend(Budget.ROOMS, "alice"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(Refusal.class)).verify(WAIT);
        assertThat(one.tracked(Budget.ROOMS)).isEqualTo(1);
        assertThat(warnings(logged)).as("one warning for the whole outage").hasSize(1);

        cable.mend();

        // Lettuce reconnects by itself; the first check Redis answers ends the outage (a probe's key, not alice's).
        await().atMost(WAIT).untilAsserted(() -> {
            one.spend(Budget.ROOMS, "probe").onErrorComplete().block(WAIT);
            assertThat(infos(logged)).hasSize(1);
        });
        // Shared again: alice's one spend in Redis and this one make two, so the other node refuses the next.
        spend(one, "alice");
        assertThatThrownBy(() -> spend(two, "alice")).isInstanceOf(Refusal.class);
        assertThat(warnings(logged)).hasSize(1);
    }

    @Test
    void aRedisThatHangsCostsACheckTheSharedTimeoutAndNoMore() {
        LimitsProperties limits = BudgetsTest.limits(Map.of("rooms", "2/10m", "shared-timeout", "200ms"));
        Cable cable = cable();
        Budgets budgets = new Budgets(limits, node(cable.port(), limits));
        spend(budgets, "alice"); // in Redis

        cable.stall();

        long started = System.nanoTime();
        StepVerifier.create(budgets.spend(Budget.ROOMS, "alice")).expectComplete().verify(WAIT);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(150)).isLessThan(Duration.ofSeconds(2));
        assertThat(budgets.tracked(Budget.ROOMS)).as("decided by the node's own bucket").isEqualTo(1);
    }

    @Test
    void theClusterSwitchPutsTheBucketsInRedisAndOneNodeNeverNeedsIt() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withUserConfiguration(BucketStoreConfiguration.class)
                .withBean(Clock.class, Clock::systemUTC)
                .withBean(LimitsProperties.class, () -> BudgetsTest.limits(Map.of()))
                .withBean(ClusterProperties.class, () -> cluster(namespace));

        runner.run(context -> assertThat(context.getBean(BucketStore.class).isShared()).isFalse());

        // As the cluster module has them: two connections of that type, the commands' one named (the context closes them).
        RedisClient client = RedisClient.create(resources, RedisURI.create("127.0.0.1", REDIS_PORT));
        closing.add(client::shutdown);
        StatefulRedisConnection<byte[], byte[]> commands = client.connect(ByteArrayCodec.INSTANCE);
        StatefulRedisPubSubConnection<byte[], byte[]> pubSub = client.connectPubSub(ByteArrayCodec.INSTANCE);
        runner.withPropertyValues("gifchat.cluster.enabled=true")
                .withBean("clusterCommands", StatefulRedisConnection.class, () -> commands)
                .withBean("clusterPubSub", StatefulRedisPubSubConnection.class, () -> pubSub)
                .run(context -> assertThat(context.getBean(BucketStore.class).isShared()).isTrue());
    }

    private static void spend(Budgets budgets, String key) {
        BudgetsTest.spend(budgets, Budget.ROOMS, key);
    }

    /** One node's buckets in Redis (at {@code port}), on a connection of its own. */
    private BucketStore node(int port, LimitsProperties limits) {
        return BucketStore.inRedis(connect(port), cluster(namespace), Clock.systemUTC(), limits.sharedTimeout());
    }

    /** As the app's: commands refused at once while disconnected, reconnecting by itself. */
    private StatefulRedisConnection<byte[], byte[]> connect(int port) {
        RedisClient client = RedisClient.create(resources, RedisURI.create("127.0.0.1", port));
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).build());
        StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
        closing.add(client::shutdown);
        closing.add(connection);
        return connection;
    }

    private Cable cable() {
        try {
            Cable cable = new Cable("127.0.0.1", REDIS_PORT);
            closing.add(cable);
            return cable;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ClusterProperties cluster(String namespace) {
        var source = new MapConfigurationPropertySource(Map.of("gifchat.cluster.namespace", namespace));
        return new Binder(source).bindOrCreate("gifchat.cluster", ClusterProperties.class);
    }

    private ListAppender<ILoggingEvent> listen() {
        Logger logger = (Logger) LoggerFactory.getLogger(Outage.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        closing.add(() -> logger.detachAppender(appender));
        return appender;
    }

    private static List<ILoggingEvent> warnings(ListAppender<ILoggingEvent> logged) {
        return logged.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
    }

    private static List<ILoggingEvent> infos(ListAppender<ILoggingEvent> logged) {
        return logged.list.stream().filter(e -> e.getLevel() == Level.INFO).toList();
    }
}
