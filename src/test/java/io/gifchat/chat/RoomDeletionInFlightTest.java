package io.gifchat.chat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import io.gifchat.store.StoreDurability;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static io.gifchat.chat.ChatTest.await;
import static io.gifchat.chat.ChatTest.say;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Deleting a room while its members' messages are still on their way: every sender gets an answer — the message
 * being stored is stored and receipted, the waiting ones are refused with "The room was deleted." — and every
 * connection goes on working. Nobody is left waiting for an answer that never comes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "gifchat.rooms.empty-grace=0s")
class RoomDeletionInFlightTest {

    /** Durability that can be held: while held, the line being stored waits, and the room's other lines queue. */
    @TestConfiguration
    static class HeldStore {
        final Sinks.Empty<Void> released = Sinks.empty();
        final AtomicInteger waitingToCommit = new AtomicInteger();
        volatile boolean held;

        @Bean
        @Primary
        StoreDurability heldDurability() {
            return () -> Mono.defer(() -> {
                if (!held) {
                    return Mono.empty();
                }
                waitingToCommit.incrementAndGet();
                return released.asMono();
            });
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    HeldStore store;

    @Autowired
    RoomLog log;

    @Autowired
    JsonMapper json;

    final List<RawStompClient> clients = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        store.released.tryEmitEmpty();
        clients.forEach(RawStompClient::close);
    }

    RawStompClient member(Visitor visitor, String roomId) {
        RawStompClient client = RawStompClient.connected(port, visitor.cookieHeader());
        clients.add(client);
        client.send("SUBSCRIBE\nid:errors\ndestination:/user/queue/errors\n\n\0"
                + "SUBSCRIBE\nid:room\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
        await(client, f -> f.startsWith("RECEIPT"));
        return client;
    }

    JsonNode body(String frame) {
        return json.readTree(frame.substring(frame.indexOf("\n\n") + 2));
    }

    @Test
    void deletingARoomWithMessagesInFlightAnswersEverySenderAndStallsNoConnection() throws Exception {
        Visitor owner = Visitor.arrive(port);
        Visitor guest = Visitor.arrive(port);
        String roomId = owner.createRoom("Doomed with traffic", 10, null);
        RawStompClient first = member(owner, roomId);
        List<RawStompClient> queued = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            queued.add(member(i % 2 == 0 ? guest : owner, roomId));
        }

        store.held = true;
        String firstId = UUID.randomUUID().toString();
        say(first, roomId, "{\"chat\":\"being stored\",\"clientId\":\"" + firstId + "\"}", "first");
        await().atMost(Duration.ofSeconds(5)).until(() -> store.waitingToCommit.get() == 1);
        List<String> clientIds = new ArrayList<>();
        for (RawStompClient client : queued) {
            String clientId = UUID.randomUUID().toString();
            clientIds.add(clientId);
            say(client, roomId, "{\"chat\":\"waiting\",\"clientId\":\"" + clientId + "\"}", "r-" + clientId);
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> log.waiting(roomId) == queued.size());

        CompletableFuture<Void> deleted = CompletableFuture.runAsync(() ->
                owner.delete("/api/rooms/" + roomId).expectStatus().isNoContent());

        for (int i = 0; i < queued.size(); i++) {
            JsonNode error = body(await(queued.get(i), f -> f.contains("destination:/user/queue/errors")));
            assertThat(error.get("message").asString()).isEqualTo("The room was deleted.");
            assertThat(error.get("clientId").asString()).isEqualTo(clientIds.get(i));
            assertThat(error.get("receipt").asString()).isEqualTo("r-" + clientIds.get(i));
        }

        store.released.tryEmitEmpty(); // the line being stored completes: stored before the deletion took effect
        assertThat(await(first, f -> f.startsWith("RECEIPT"))).isEqualTo("RECEIPT\nreceipt-id:first\n\n");
        deleted.get(10, TimeUnit.SECONDS);

        for (RawStompClient client : clients) {
            client.send("SUBSCRIBE\nid:lobby\ndestination:/topic/room\nreceipt:still-here\n\n\0");
            assertThat(await(client, f -> f.startsWith("RECEIPT") || f.startsWith("ERROR")))
                    .as("the connection still answers").isEqualTo("RECEIPT\nreceipt-id:still-here\n\n");
        }
    }
}
