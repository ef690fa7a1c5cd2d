package io.gifchat.room;

import java.time.Duration;

import io.gifchat.messaging.RawStompClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=2s", "gifchat.rooms.janitor-interval=100ms"})
class RoomJanitorTest {

    @LocalServerPort
    int port;

    static void enter(RawStompClient client, String roomId) {
        client.send("SUBSCRIBE\nid:r\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
        String answer;
        do {
            answer = client.next();
        } while (answer != null && !answer.startsWith("RECEIPT"));
        assertThat(answer).as("entered").isNotNull();
    }

    @Test
    void aRoomNobodyEntersIsDeletedAfterTheGracePeriod() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("never entered", 5, null);

        owner.get("/api/rooms/" + id).expectStatus().isOk();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> owner.get("/api/rooms/" + id).expectStatus().isNotFound());
    }

    @Test
    void refreshingThePageWithinTheGraceKeepsTheRoomAndLeavingForGoodDeletesIt() throws InterruptedException {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("refreshed", 5, null);
        RawStompClient first = RawStompClient.connected(port, owner.cookieHeader());
        enter(first, id);
        first.close();

        Thread.sleep(1000); // a page reload takes a moment: within the 2 s grace
        RawStompClient again = RawStompClient.connected(port, owner.cookieHeader());
        enter(again, id);
        Thread.sleep(2500); // past the grace measured from the first exit: still there, because re-entered
        owner.get("/api/rooms/" + id).expectStatus().isOk();

        again.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> owner.get("/api/rooms/" + id).expectStatus().isNotFound());
    }
}
