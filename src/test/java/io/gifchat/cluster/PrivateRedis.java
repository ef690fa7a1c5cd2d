package io.gifchat.cluster;

import io.gifchat.RedisTools;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * A redis-server of one test's own, on a free port, without persistence: the test may stop it (an outage) and
 * start it again on the same port, which the shared Redis on 6379 — other runs may be using it — must never be.
 * A restarted one is empty, as a real Redis without persistence comes back.
 */
final class PrivateRedis implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    final int port;
    private final Path log;
    private LoggedProcess process;

    private PrivateRedis(int port, Path log) {
        this.port = port;
        this.log = log;
    }

    /** Skips the calling test when redis-server is not installed; under {@code CI=true} that is a failure. */
    static void requireInstalled() {
        String version = version();
        boolean installed = version.startsWith("Redis server");
        if (!ClusterRun.CI) {
            assumeThat(installed).as("redis-server is not installed (%s): skipping this test, which runs a Redis of "
                    + "its own to stop and start (apt-get install redis-server)", version).isTrue();
        }
        assertThat(installed).as("redis-server must be installed under CI (.ci/run installs it): %s", version).isTrue();
    }

    /** Started on a free port, logging to {@code log}; answers PING when this returns. */
    static PrivateRedis start(Path log) {
        PrivateRedis redis = new PrivateRedis(LoggedProcess.freePort(), log);
        redis.startAgain();
        return redis;
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Gone at once (SIGKILL), as in a crash: every node's connection breaks. */
    void kill() {
        process.kill();
    }

    /** Up again on the same port (empty), answering PING. */
    void startAgain() {
        if (process != null && process.alive()) {
            throw new IllegalStateException("redis-server on " + port + " runs already");
        }
        process = LoggedProcess.start("redis-" + port, List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"), log);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!RedisTools.answersPing(port)) {
            if (!process.alive() || System.nanoTime() > deadline) {
                throw new AssertionError("redis-server did not start on " + port + "; log " + log + ":\n" + process.tail(30));
            }
            NodeProcess.pause(Duration.ofMillis(50));
        }
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }

    /** Whether a Redis on 127.0.0.1:{@code port} answers {@code PING} within a second. */
    private static String version() {
        try {
            Process p = new ProcessBuilder("redis-server", "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out;
        } catch (IOException e) {
            return e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }
}
