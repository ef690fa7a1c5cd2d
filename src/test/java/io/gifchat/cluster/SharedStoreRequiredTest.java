package io.gifchat.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node in cluster mode without {@code spring.mongodb.uri} would keep rooms and messages in an embedded store of
 * its own: it refuses to start, says why in one explanation and no stack trace, and exits non-zero. Needs no Redis
 * (the refusal comes before anything connects; the URL given points nowhere).
 */
class SharedStoreRequiredTest {

    @Test
    void aClusterNodeWithoutASharedStoreExitsNonZeroWithOneExplanationAndNoStackTrace() {
        List<String> args = List.of("--server.port=" + LoggedProcess.freePort(), "--gifchat.cluster.enabled=true",
                "--gifchat.cluster.namespace=test-" + UUID.randomUUID(),
                "--spring.data.redis.url=redis://127.0.0.1:" + LoggedProcess.freePort());
        Path log = Path.of("target", "cluster-runs", "shared-store-required-" + UUID.randomUUID() + ".log").toAbsolutePath();
        try (LoggedProcess node = LoggedProcess.start("node", LoggedProcess.java(NodeProcess.JVM,
                "io.gifchat.GifChatApplication", args), log)) {
            int exit = node.exitCode(Duration.ofSeconds(60));
            String output = node.output();

            assertThat(exit).as("exit code; output:\n%s", output).isNotZero();
            assertThat(output).as("the explanation, once").containsOnlyOnce(new SharedStoreRequired().getMessage())
                    .contains("Set spring.mongodb.uri to the MongoDB every node uses");
            assertThat(output.lines().filter(line -> line.startsWith("\tat ") || line.startsWith("Caused by:")).toList())
                    .as("no stack trace; output:\n%s", output).isEmpty();
        }
    }
}
