package io.gifchat.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One node of a {@link ClusterRun}: the app in a JVM of its own on its own port, started again on the same port
 * and with the same arguments after a {@link #kill} (a new node id, as after a real crash).
 */
final class NodeProcess {

    /** C1 only and one GC thread: starting the JVM is most of a cluster test's time on 2 cores. */
    static final List<String> JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    final String name;
    final int port;
    private final List<String> command;
    private final Path log;
    private volatile LoggedProcess process;

    NodeProcess(String name, int port, List<String> args, Path log) {
        this.name = name;
        this.port = port;
        this.command = LoggedProcess.java(JVM, "io.gifchat.GifChatApplication", args);
        this.log = log;
    }

    /** Starts the JVM; {@link #awaitReady} waits for it. */
    NodeProcess launch() {
        if (process != null && process.alive()) {
            throw new IllegalStateException(name + " runs already");
        }
        process = LoggedProcess.start(name, command, log);
        return this;
    }

    /** Until {@code /actuator/health} answers 200 (every component UP); fails with the log's tail otherwise. */
    void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.alive()) {
                throw new AssertionError(name + " exited before it was ready; log " + log + ":\n" + process.tail(60));
            }
            try {
                HttpResponse<String> health = get("/actuator/health");
                if (health.statusCode() == 200) {
                    return;
                }
                last = health.statusCode() + " " + health.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            }
            pause(Duration.ofMillis(200));
        }
        throw new AssertionError(name + " not ready within " + START_TIMEOUT + " (last: " + last + "); log " + log
                + ":\n" + process.tail(60));
    }

    /** SIGKILL: a crash, nothing said to Redis or to its clients. */
    void kill() {
        process.kill();
    }

    /** Started again (after {@link #kill}) on the same port, and ready. */
    void restart() {
        launch().awaitReady();
    }

    /** SIGTERM (a graceful shutdown, the node leaves the cluster's set), SIGKILL if it takes too long. */
    void stop() {
        if (process != null) {
            process.stop(Duration.ofSeconds(15));
        }
    }

    /** {@code /actuator/health}, whatever its status (503 while a component is DOWN). */
    JsonNode health() {
        try {
            return JSON.readTree(get("/actuator/health").body());
        } catch (IOException e) {
            throw new AssertionError(name + " did not answer /actuator/health: " + e + "; log tail:\n" + tail(), e);
        }
    }

    /** The {@code cluster} health component's status: UP or DOWN. */
    String clusterStatus() {
        return health().path("components").path("cluster").path("status").asString();
    }

    /** A new visitor (session, CSRF token, nickname) that arrived at this node. */
    Visitor arrive() {
        return Visitor.arrive(port);
    }

    /** The same browser session (shared by every node through MongoDB), its requests sent to this node. */
    Visitor as(Visitor visitor) {
        WebTestClient web = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
        return new Visitor(web, visitor.cookie(), visitor.csrf(), visitor.name());
    }

    /** A STOMP connection to this node as {@code visitor}. */
    RawStompClient connect(Visitor visitor) {
        return RawStompClient.connected(port, visitor.cookieHeader());
    }

    String tail() {
        return process == null ? "(not started)" : process.tail(60);
    }

    /** Everything this node logged, over all its runs. */
    String output() {
        return process == null ? "" : process.output();
    }

    Path log() {
        return log;
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public String toString() {
        return name + " (port " + port + ")";
    }
}
