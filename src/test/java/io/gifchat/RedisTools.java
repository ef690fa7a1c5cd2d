package io.gifchat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The machine's Redis (127.0.0.1:6379), which the cluster tests use. Missing, a test skips with a message, except
 * under {@code CI=true}, where {@code .ci/run} starts one and a missing Redis is a failure.
 */
public final class RedisTools {

    public static final String URL = "redis://127.0.0.1:6379";

    private RedisTools() {
    }

    /** Skips the calling test when nothing answers on 127.0.0.1:6379 (fails instead under CI). */
    public static void requireRedis() {
        boolean up = answers("127.0.0.1", 6379);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThat(up).as("Redis must answer on 127.0.0.1:6379 under CI (.ci/run starts redis-server)").isTrue();
        }
        Assumptions.assumeTrue(up, "no Redis on 127.0.0.1:6379: start one with redis-server --daemonize yes --port 6379 --save \"\" --appendonly no");
    }

    static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
