package io.gifchat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Assumptions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The machine's Redis (127.0.0.1:6379), which the cluster tests use. Missing, a test skips with a message, except
 * under {@code CI=true}, where {@code .ci/run} starts one and a missing Redis is a failure.
 */
public final class RedisTools {

    public static final int PORT = 6379;
    public static final String URL = "redis://127.0.0.1:" + PORT;

    private RedisTools() {
    }

    /** Skips the calling test when no Redis answers PING on 127.0.0.1:6379 (fails instead under CI). */
    public static void requireRedis() {
        boolean up = answersPing(PORT);
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertThat(up).as("Redis must answer on 127.0.0.1:%d under CI (.ci/run starts redis-server)", PORT).isTrue();
        }
        Assumptions.assumeTrue(up, "no Redis answers PING on 127.0.0.1:" + PORT
                + ": start one with redis-server --daemonize yes --port 6379 --save \"\" --appendonly no");
    }

    /** Whether a Redis on 127.0.0.1:{@code port} answers PING within a second. */
    public static boolean answersPing(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(7), StandardCharsets.US_ASCII).equals("+PONG\r\n");
        } catch (IOException e) {
            return false;
        }
    }
}
