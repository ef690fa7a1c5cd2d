package io.gifchat.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import io.gifchat.MovableClock;
import io.gifchat.messaging.RawStompClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import static io.gifchat.messaging.StompProtocolTest.header;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Empty rooms go after the grace period, measured on a clock the test moves; the janitor's sweep is run by hand. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=30s", "gifchat.rooms.janitor-interval=1h"})
class RoomJanitorTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    @TestConfiguration
    static class Time {
        @Bean
        @Primary
        MovableClock movableClock() {
            return new MovableClock(Instant.parse("2026-12-01T12:00:00Z"));
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    MovableClock clock;

    @Autowired
    Clock injected;

    @Autowired
    RoomJanitor janitor;

    static void enter(RawStompClient client, String roomId) {
        client.send("SUBSCRIBE\nid:r\ndestination:/topic/chat/" + roomId + "\nreceipt:in\n\n\0");
        String answer;
        do {
            answer = client.next();
        } while (answer != null && !answer.startsWith("RECEIPT"));
        assertThat(answer).as("entered").isNotNull();
    }

    void sweep() {
        janitor.deleteAbandonedRooms().block(WAIT);
    }

    @Test
    void aRoomNobodyEntersIsDeletedAfterTheGracePeriod() {
        assertThat(injected).isSameAs(clock);
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("never entered", 5, null);

        clock.advance(Duration.ofSeconds(29));
        sweep();
        owner.get("/api/rooms/" + id).expectStatus().isOk();

        clock.advance(Duration.ofSeconds(2));
        sweep();
        owner.get("/api/rooms/" + id).expectStatus().isNotFound();
    }

    @Test
    void refreshingThePageWithinTheGraceKeepsTheRoomAndLeavingForGoodDeletesIt() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("refreshed", 5, null);
        RawStompClient first = RawStompClient.connected(port, owner.cookieHeader());
        enter(first, id);
        first.close();
        // The exit is announced once the server sees the socket close.
        await().atMost(WAIT).until(() -> owner.get("/api/rooms/" + id).expectBody(RoomView.class)
                .returnResult().getResponseBody().participants() == 0);

        clock.advance(Duration.ofSeconds(10)); // a page reload takes a moment: within the grace
        RawStompClient again = RawStompClient.connected(port, owner.cookieHeader());
        enter(again, id);
        clock.advance(Duration.ofSeconds(60)); // past the grace measured from the first exit: kept, because re-entered
        sweep();
        owner.get("/api/rooms/" + id).expectStatus().isOk();

        again.close();
        await().atMost(WAIT).until(() -> owner.get("/api/rooms/" + id).expectBody(RoomView.class)
                .returnResult().getResponseBody().participants() == 0);
        clock.advance(Duration.ofSeconds(29));
        sweep();
        owner.get("/api/rooms/" + id).expectStatus().isOk();
        clock.advance(Duration.ofSeconds(2));
        sweep();
        owner.get("/api/rooms/" + id).expectStatus().isNotFound();
    }

    @Test
    void aKickRevokesTheAdmissionSoALockedRoomNeedsItsPasswordAgainOnceTheBanIsOver() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("locked", 10, "sesame");
        Visitor guest = Visitor.arrive(port);
        guest.post("/api/rooms/" + id + "/admission", java.util.Map.of("password", "sesame")).expectStatus().isNoContent();
        try (RawStompClient guestTab = RawStompClient.connected(port, guest.cookieHeader())) {
            enter(guestTab, id);
            String guestId = header(guestTab.connectedFrame(), "user-id");
            owner.post("/api/rooms/" + id + "/kick/" + guestId, null).expectStatus().isNoContent();
        }

        clock.advance(Duration.ofMinutes(11)); // past gifchat.rooms.kick-ban (10 minutes)

        try (RawStompClient again = RawStompClient.connected(port, guest.cookieHeader())) {
            again.send("SUBSCRIBE\nid:r\ndestination:/topic/chat/" + id + "\nreceipt:in\n\n\0");
            String answer = again.next();
            assertThat(answer).startsWith("ERROR").contains("message:This room needs its password.");
        }
    }
}
