package io.gifchat.chat;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.gifchat.chat.ChatTest.await;
import static io.gifchat.chat.ChatTest.say;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The room's seq is allocated in memory; after a {@code kill -9} of the server, on the default file store, it goes
 * on from the last stored line: every receipted message is there exactly once, seqs strictly increase with no
 * duplicate, and a retry of a receipted message stores nothing new. The server runs in a JVM of its own so it can
 * really be killed.
 */
class CrashRecoveryTest {

    @TempDir
    Path dir;

    Process server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.destroyForcibly();
        }
    }

    @Test
    void afterAKillTheSeqGoesOnFromTheLastStoredLineAndRetriesStoreNothingNew() throws Exception {
        int port = freePort();
        server = start(port);
        Visitor owner = Visitor.arrive(port);
        String roomId = owner.createRoom("Survives a crash", 5, null);
        List<String> receipted = new ArrayList<>();
        String last = sendReceipted(port, owner, roomId, 30, receipted);

        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no final commit
        server = start(port);

        RawStompClient again = member(port, owner, roomId);
        say(again, roomId, "{\"chat\":\"retried after the crash\",\"clientId\":\"" + last + "\"}", "retry");
        assertThat(await(again, f -> f.startsWith("RECEIPT") || f.startsWith("ERROR"))).isEqualTo("RECEIPT\nreceipt-id:retry\n\n");
        again.close();
        sendReceipted(port, owner, roomId, 20, receipted);

        RawStompClient reader = member(port, owner, roomId);
        JsonNode lines = JsonMapper.builder().build().readTree(owner.get("/api/rooms/" + roomId + "/chats?limit=200")
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
        reader.close();
        List<Long> seqs = new ArrayList<>();
        List<String> clientIds = new ArrayList<>();
        lines.forEach(line -> {
            seqs.add(line.get("seq").asLong());
            if ("chat".equals(line.get("type").asString())) {
                clientIds.add(line.get("clientId").asString());
            }
        });
        assertThat(seqs).as("no seq twice, none skipped").isEqualTo(java.util.stream.LongStream.rangeClosed(1, seqs.size())
                .boxed().toList());
        assertThat(clientIds).as("every receipted message once").containsExactlyInAnyOrderElementsOf(receipted);
    }

    /** Enters, sends {@code count} messages one at a time with receipts, leaves; returns the last clientId. */
    private String sendReceipted(int port, Visitor visitor, String roomId, int count, List<String> receipted) {
        RawStompClient client = member(port, visitor, roomId);
        String clientId = null;
        for (int i = 0; i < count; i++) {
            clientId = UUID.randomUUID().toString();
            say(client, roomId, "{\"chat\":\"line " + i + "\",\"clientId\":\"" + clientId + "\"}", "r" + i);
            String receipt = "RECEIPT\nreceipt-id:r" + i + "\n\n";
            assertThat(await(client, f -> f.startsWith("RECEIPT") || f.startsWith("ERROR") || f.contains("/user/queue/errors")))
                    .isEqualTo(receipt);
            receipted.add(clientId);
        }
        client.close();
        return clientId;
    }

    private static RawStompClient member(int port, Visitor visitor, String roomId) {
        RawStompClient client = RawStompClient.connected(port, visitor.cookieHeader());
        client.send("SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\n\n\0"
                + "SUBSCRIBE\nid:room\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
        await(client, f -> f.startsWith("RECEIPT"));
        return client;
    }

    private Process start(int port) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--server.port=" + port, "--gifchat.embedded-mongo.storage=file",
                "--gifchat.embedded-mongo.path=" + dir.resolve("gifchat.mv"), "--gifchat.rooms.empty-grace=0s",
                "--gifchat.chat.rate-limit=1000"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), "io.gifchat.GifChatApplication"));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("server-" + port + "-" + System.nanoTime() + ".log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the server is running").isTrue();
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server did not start within 90 s");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
