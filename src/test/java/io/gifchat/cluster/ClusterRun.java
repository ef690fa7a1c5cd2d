package io.gifchat.cluster;

import io.gifchat.RedisTools;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanIterator;
import io.lettuce.core.api.StatefulRedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * A cluster for one test class, each part a process of its own: the MongoDB-wire store ({@code StoreServer}, in
 * memory), and {@code nodes} app nodes in cluster mode, each on a free port, all in one fresh namespace on one Redis
 * (the shared one on 6379, or a test's {@link PrivateRedis}). Logs go to {@code target/cluster-runs/<run>/}; a node
 * that does not get ready fails the start with its log's tail. Closing stops everything it started (a shutdown hook
 * kills what a crashed test run left) and removes the namespace's keys from Redis.
 * <p>
 * The nodes get the settings the other process tests use: rooms are never deleted when empty, a chat rate no test
 * reaches, per-address budgets raised (every client is 127.0.0.1), no warm-up (it would compete with the test for
 * the 2 cores), Reactor Netty's quiet period off so a stop is quick, and health with its details (the {@code cluster}
 * component's live nodes and undelivered count).
 */
final class ClusterRun implements AutoCloseable {

    static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));
    static final int SHARED_REDIS_PORT = 6379;
    static final String SHARED_REDIS_URL = "redis://127.0.0.1:" + SHARED_REDIS_PORT;

    private static final Logger log = LoggerFactory.getLogger(ClusterRun.class);
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    /** The runs not closed yet, for {@link NodeLogsOnFailure}. */
    private static final Set<ClusterRun> OPEN = ConcurrentHashMap.newKeySet();

    final String namespace = "test-" + UUID.randomUUID();
    final Path logs;
    private final String redisUrl;
    private final LoggedProcess store;
    private final List<NodeProcess> nodes = new ArrayList<>();

    /** {@code nodeRedisUrls}: each node's way to {@code redisUrl}, straight there or through a {@link SlowLink}. */
    private ClusterRun(String name, String redisUrl, List<String> nodeRedisUrls, List<String> settings) {
        this.logs = Path.of("target", "cluster-runs", name + "-" + namespace.substring(5, 13)).toAbsolutePath();
        this.redisUrl = redisUrl;
        int storePort = LoggedProcess.freePort();
        this.store = LoggedProcess.start("store", LoggedProcess.java(List.of("-Xmx256m", "-XX:+UseSerialGC"),
                "io.gifchat.bench.StoreServer", List.of(Integer.toString(storePort), "memory")), logs.resolve("store.log"));
        try {
            awaitStore(storePort);
            for (int i = 0; i < nodeRedisUrls.size(); i++) {
                String nodeName = "node-" + (char) ('a' + i);
                int port = LoggedProcess.freePort();
                List<String> args = new ArrayList<>(List.of("--server.port=" + port,
                        "--gifchat.cluster.enabled=true", "--gifchat.cluster.namespace=" + namespace,
                        "--spring.data.redis.url=" + nodeRedisUrls.get(i),
                        "--spring.mongodb.uri=mongodb://127.0.0.1:" + storePort + "/" + namespace,
                        "--gifchat.rooms.empty-grace=0s", "--gifchat.chat.rate-limit=1000",
                        // The test classpath's config/application.yaml raises these too; said here as well, so the
                        // nodes do not depend on which resources a classpath holds.
                        "--gifchat.limits.handshakes=1000000/1m", "--gifchat.limits.new-sessions=1000000/1m",
                        "--gifchat.limits.rooms-per-address=1000000/1m",
                        "--gifchat.http.warm-up=false", "--spring.reactor.netty.shutdown-quiet-period=0s",
                        "--management.endpoint.health.show-details=always"));
                args.addAll(settings);
                nodes.add(new NodeProcess(nodeName, port, args, logs.resolve(nodeName + ".log")));
            }
            nodes.forEach(NodeProcess::launch); // side by side: the JVMs start on both cores
            nodes.forEach(NodeProcess::awaitReady);
            OPEN.add(this);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /**
     * {@code nodes} nodes on the shared Redis at 127.0.0.1:6379; skips the calling test class when none answers
     * there (a failure under {@code CI=true}). {@code settings}: more {@code --name=value} arguments for every node.
     */
    static ClusterRun onSharedRedis(String name, int nodes, String... settings) {
        return onSharedRedis(name, Collections.nCopies(nodes, SHARED_REDIS_URL), settings);
    }

    /**
     * One node per URL, each reaching the shared Redis through it: {@link #SHARED_REDIS_URL}, or a {@link SlowLink}
     * to port {@link #SHARED_REDIS_PORT}. Skips as {@link #onSharedRedis(String, int, String...)} does.
     */
    static ClusterRun onSharedRedis(String name, List<String> nodeRedisUrls, String... settings) {
        requireSharedRedis();
        return new ClusterRun(name, SHARED_REDIS_URL, nodeRedisUrls, List.of(settings));
    }

    /** {@code nodes} nodes on {@code redis}, which the test may stop and start again. */
    static ClusterRun on(PrivateRedis redis, String name, int nodes, String... settings) {
        return new ClusterRun(name, redis.url(), Collections.nCopies(nodes, redis.url()), List.of(settings));
    }

    static void requireSharedRedis() {
        RedisTools.requireRedis();
    }

    /** The {@code index}th node (0: node-a). */
    NodeProcess node(int index) {
        return nodes.get(index);
    }

    List<NodeProcess> nodes() {
        return List.copyOf(nodes);
    }

    /** Every node's log tail, for an assertion's message. */
    String tails() {
        StringBuilder all = new StringBuilder();
        nodes.forEach(node -> all.append("\n--- ").append(node).append(", ").append(node.log()).append(":\n")
                .append(node.tail()));
        return all.toString();
    }

    /** The runs started and not closed yet. */
    static List<ClusterRun> open() {
        return List.copyOf(OPEN);
    }

    @Override
    public void close() {
        OPEN.remove(this);
        nodes.parallelStream().forEach(NodeProcess::stop); // graceful: each leaves the cluster's set
        store.close();
        forgetNamespace();
    }

    /** Until the store accepts connections; fails with its log otherwise. */
    private void awaitStore(int port) {
        long deadline = System.nanoTime() + STORE_TIMEOUT.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (java.io.IOException notYet) {
                if (!store.alive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the store did not start on " + port + "; log " + store.log + ":\n"
                            + store.tail(30));
                }
                NodeProcess.pause(Duration.ofMillis(100));
            }
        }
    }

    /**
     * Removes this run's keys (the nodes' set; a killed node's entry stays in it) from Redis: only keys of its own
     * namespace, never anything else of a Redis others share.
     */
    private void forgetNamespace() {
        RedisURI uri = RedisURI.create(redisUrl);
        uri.setTimeout(Duration.ofSeconds(2));
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            ScanIterator.scan(redis.sync(), ScanArgs.Builder.matches(namespace + ":*").limit(100))
                    .forEachRemaining(key -> redis.sync().del(key));
        } catch (RuntimeException e) {
            log.info("Could not remove the keys of {} from Redis ({}): they are small and carry a unique prefix", namespace,
                    e.toString());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }
}
