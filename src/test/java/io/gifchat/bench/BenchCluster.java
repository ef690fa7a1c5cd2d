package io.gifchat.bench;

import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.StatefulRedisConnection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The broadcast benchmark's cluster: two app nodes in their own JVMs, the MongoDB-wire store they share
 * ({@link StoreServer}, memory backend, its own JVM) and the machine's Redis under a namespace of this run alone
 * ({@code bench-<random>}). Closing it stops the nodes, then the store, then deletes the namespace's keys (SCAN +
 * UNLINK of {@code <namespace>:*}; never FLUSHALL: the Redis is shared with tests and other runs). A shutdown hook
 * does the same if the benchmark is stopped half-way.
 *
 * <p>Redis is infrastructure, not under test: it is neither started nor pinned here (it is the machine's service),
 * only its CPU time is read from {@code /proc/<pid>/stat} so the figures can show what the relay cost it.
 */
final class BenchCluster implements AutoCloseable {

    final String namespace = "bench-" + UUID.randomUUID().toString().substring(0, 8);
    final List<ServerProcess> nodes = new ArrayList<>();
    ServerProcess store;
    final long redisPid;
    private final RedisClient client;
    private final StatefulRedisConnection<String, String> redis;
    private final Thread cleanupHook;
    private boolean closed;

    private BenchCluster(String redisUrl) {
        RedisURI uri = RedisURI.create(redisUrl);
        uri.setTimeout(Duration.ofSeconds(5));
        client = RedisClient.create(uri);
        try {
            redis = client.connect();
        } catch (RuntimeException e) {
            client.shutdown();
            throw new IllegalStateException("the cluster target needs Redis at " + redisUrl + ": " + e.getMessage(), e);
        }
        redisPid = redisPid();
        cleanupHook = new Thread(this::close, "bench-cluster-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanupHook);
    }

    /**
     * Starts the store, then both nodes (in parallel: they start as fast as one on an idle core), and waits until
     * each answers /actuator/health and both are in the namespace's node set.
     *
     * @param nodeArgs the arguments every node gets (the stomp target's), to which the cluster's own are added
     */
    static BenchCluster start(String redisUrl, List<String> launcher, List<String> jvm, List<String> storeLauncher,
                              String appClasspath, String storeClasspath, List<String> nodeArgs, Path logDir)
            throws IOException, InterruptedException {
        BenchCluster cluster = new BenchCluster(redisUrl);
        try {
            int storePort = ServerProcess.freePort();
            cluster.store = ServerProcess.start("cluster-store", storePort, storeLauncher,
                    List.of("-Xms256m", "-Xmx512m", "-XX:+UseG1GC"), storeClasspath, StoreServer.class.getName(),
                    List.of(Integer.toString(storePort), "memory"), logDir);
            awaitListening(cluster.store, Duration.ofSeconds(60));
            for (String name : List.of("a", "b")) {
                int port = ServerProcess.freePort();
                List<String> args = new ArrayList<>(List.of("--server.port=" + port,
                        "--gifchat.cluster.enabled=true",
                        "--gifchat.cluster.namespace=" + cluster.namespace,
                        "--spring.data.redis.url=" + redisUrl,
                        "--spring.mongodb.uri=mongodb://127.0.0.1:" + storePort + "/" + cluster.namespace));
                args.addAll(nodeArgs);
                cluster.nodes.add(ServerProcess.start("cluster-node-" + name, port, launcher, jvm, appClasspath,
                        "io.gifchat.GifChatApplication", args, logDir));
            }
            for (ServerProcess node : cluster.nodes) {
                node.awaitReady(Duration.ofSeconds(180));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            long live;
            while ((live = cluster.redis.sync().zcard(cluster.namespace + ":nodes")) < cluster.nodes.size()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(live + " of " + cluster.nodes.size() + " nodes in "
                            + cluster.namespace + ":nodes after 30 s");
                }
                Thread.sleep(100);
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** Redis's CPU time (user + system, all its threads) so far, in seconds; -1 if its process cannot be read. */
    double redisCpuSeconds() {
        if (redisPid < 0) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(redisPid), "stat"));
            return ServerProcess.cpuTicks(stat) / ServerProcess.CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** The keys under this run's namespace (a few: the node set, the epoch, presence if anyone entered a room). */
    List<String> keys() {
        List<String> keys = new ArrayList<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        ScanArgs match = ScanArgs.Builder.matches(namespace + ":*").limit(500);
        do {
            KeyScanCursor<String> page = redis.sync().scan(cursor, match);
            keys.addAll(page.getKeys());
            cursor = page;
        } while (!cursor.isFinished());
        return keys;
    }

    /** Stops the nodes, then the store; deletes the namespace's keys once no node can write them again. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        nodes.forEach(ServerProcess::close);
        if (store != null) {
            store.close();
        }
        try {
            List<String> keys = keys();
            if (!keys.isEmpty()) {
                redis.sync().unlink(keys.toArray(String[]::new));
            }
            List<String> left = keys();
            System.out.println(left.isEmpty()
                    ? "[cluster] nodes and store stopped; Redis keys of " + namespace + " deleted: " + keys.size()
                    : "[cluster] WARNING: keys of " + namespace + " left in Redis: " + left);
        } catch (RuntimeException e) {
            System.out.println("[cluster] WARNING: could not delete the keys of " + namespace + " from Redis: " + e);
        } finally {
            redis.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            try {
                Runtime.getRuntime().removeShutdownHook(cleanupHook);
            } catch (IllegalStateException e) {
                // closing from the hook itself (the JVM is shutting down)
            }
        }
    }

    /** Redis's pid, from its own INFO; -1 if that pid is not a redis-server in this machine's /proc (a container). */
    private long redisPid() {
        try {
            for (String line : redis.sync().info("server").split("\r?\n")) {
                if (line.startsWith("process_id:")) {
                    long pid = Long.parseLong(line.substring(11).trim());
                    String comm = Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim();
                    return comm.startsWith("redis") ? pid : -1;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or Redis runs elsewhere: its CPU is reported as unknown
        }
        return -1;
    }

    private static void awaitListening(ServerProcess server, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!server.alive()) {
                throw new IllegalStateException(server.name + " exited before it listened; log " + server.log + ":\n"
                        + server.tail(20));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", server.port), 1000);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(server.name + " not listening after " + timeout + "; log "
                            + server.log + ":\n" + server.tail(20));
                }
                Thread.sleep(100);
            }
        }
    }
}
