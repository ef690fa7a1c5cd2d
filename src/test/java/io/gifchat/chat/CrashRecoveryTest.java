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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import static io.gifchat.messaging.StompProtocolTest.header;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The room's seq is allocated in memory; after a {@code kill -9} of the server, on the default file store, it goes
 * on from the last stored line: every receipted message is there exactly once, seqs strictly increase with no
 * duplicate, and a retry of a receipted message stores nothing new; killed again and again while messages stream in,
 * it loses no receipted message. The server runs in a JVM of its own so it can really be killed.
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

    /**
     * Numbered messages stream in (16 unanswered at a time) and the server is killed four times while some are
     * being stored, each time restarted on the same file. Every message whose RECEIPT reached the client — also
     * one that arrived just before the kill — is in the history exactly once; no message is there twice; the seqs
     * run 1, 2, 3, … without a gap; and the messages are in the order they were sent.
     */
    @Test
    void everyReceiptedMessageSurvivesRepeatedKillsMidStreamOnceInSeqOrder() throws Exception {
        int port = freePort();
        server = start(port);
        Visitor owner = Visitor.arrive(port);
        String roomId = owner.createRoom("Killed again and again", 5, null);
        Map<String, Integer> numbers = new HashMap<>(); // clientId -> the message's number, in send order
        Set<String> receipted = new HashSet<>();
        int number = 0;
        for (int kill = 0; kill < 4; kill++) {
            RawStompClient client = member(port, owner, roomId);
            Map<String, String> byReceipt = new HashMap<>();
            int target = 20 + 10 * kill; // receipts this round before the kill comes
            int unanswered = 0;
            for (int got = 0; got < target; ) {
                for (; unanswered < 16; unanswered++) {
                    number = sendNumbered(client, roomId, number, numbers, byReceipt);
                }
                String frame = client.next(Duration.ofSeconds(10));
                assertThat(frame).as("an answer").isNotNull();
                assertThat(frame).as("not refused").doesNotContain("destination:/user/queue/errors").doesNotStartWith("ERROR");
                if (frame.startsWith("RECEIPT")) {
                    receipted.add(byReceipt.get(header(frame, "receipt-id")));
                    got++;
                    unanswered--;
                }
            }
            for (int i = 0; i < 16; i++) { // more on their way: the kill lands while they are stored
                number = sendNumbered(client, roomId, number, numbers, byReceipt);
            }
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hook, no final commit
            for (String frame = client.next(Duration.ofMillis(500)); frame != null; frame = client.next(Duration.ofMillis(500))) {
                if (frame.startsWith("RECEIPT")) { // sent before the kill: it promised the line is durable
                    receipted.add(byReceipt.get(header(frame, "receipt-id")));
                }
            }
            client.close();
            server = start(port);
        }

        List<JsonNode> lines = new ArrayList<>();
        JsonMapper json = JsonMapper.builder().build();
        RawStompClient reader = member(port, owner, roomId);
        for (long after = 0; ; ) {
            JsonNode page = json.readTree(owner.get("/api/rooms/" + roomId + "/chats?after=" + after + "&limit=200")
                    .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
            if (page.isEmpty()) {
                break;
            }
            page.forEach(lines::add);
            after = lines.get(lines.size() - 1).get("seq").asLong();
        }
        reader.close();
        List<Long> seqs = lines.stream().map(line -> line.get("seq").asLong()).toList();
        assertThat(seqs).as("seqs from 1, none twice, none skipped")
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, seqs.size()).boxed().toList());
        List<String> stored = lines.stream().filter(line -> "chat".equals(line.get("type").asString()))
                .map(line -> line.get("clientId").asString()).toList();
        assertThat(stored).as("no message twice").doesNotHaveDuplicates();
        assertThat(stored).as("every receipted message").containsAll(receipted);
        assertThat(stored.stream().map(numbers::get).toList()).as("in the order they were sent").isSorted();
        assertThat(receipted).as("receipts in every round").hasSizeGreaterThanOrEqualTo(20 + 30 + 40 + 50);
    }

    /** Sends message number {@code number + 1} with a fresh clientId and a receipt; returns its number. */
    private static int sendNumbered(RawStompClient client, String roomId, int number, Map<String, Integer> numbers,
                                    Map<String, String> byReceipt) {
        int n = number + 1;
        String clientId = UUID.randomUUID().toString();
        numbers.put(clientId, n);
        byReceipt.put("m" + n, clientId);
        say(client, roomId, "{\"chat\":\"message " + n + "\",\"clientId\":\"" + clientId + "\"}", "m" + n);
        return n;
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
                // Starting the server is most of this test's time: C1 only and one GC thread start it sooner on 2 cores.
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "io.gifchat.GifChatApplication"));
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
