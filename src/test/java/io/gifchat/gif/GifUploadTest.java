package io.gifchat.gif;

import java.time.Duration;
import java.util.Map;

import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import io.gifchat.web.browser.TestGifs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Uploads through the real endpoint: what is stored, broadcast and served, and every refusal. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=0s", "gifchat.gif.max-size=1MB"})
class GifUploadTest {

    @LocalServerPort
    int port;

    @Autowired
    GifStore store;

    RawStompClient watcher;

    @AfterEach
    void close() {
        if (watcher != null) {
            watcher.close();
        }
    }

    /** A member of a fresh room (its page open, i.e. subscribed), and an outsider watching nothing. */
    record Setup(Visitor member, String room) {
    }

    Setup memberOfARoom() {
        Visitor member = Visitor.arrive(port);
        String room = member.createRoom("gifs", 10, null);
        watcher = RawStompClient.connected(port, member.cookieHeader());
        watcher.send("SUBSCRIBE\nid:r\ndestination:/topic/chat/" + room + "\nreceipt:in\n\n\0");
        String frame;
        do {
            frame = watcher.next();
        } while (frame != null && !frame.startsWith("RECEIPT"));
        drain();
        return new Setup(member, room);
    }

    void drain() {
        while (watcher.next(Duration.ofMillis(200)) != null) {
            // join and presence events
        }
    }

    static WebTestClient.ResponseSpec upload(Visitor visitor, String room, String filename, byte[] bytes, boolean csrf) {
        return visitor.uploadGif(room, filename, bytes, csrf);
    }

    long stored() {
        return store.count().block(Duration.ofSeconds(5));
    }

    @Test
    void aValidGifIsStoredUnderARandomIdBroadcastAndServedSafely() {
        Setup s = memberOfARoom();
        byte[] gif = TestGifs.animated(64, 3);

        Map<?, ?> created = upload(s.member(), s.room(), "../../etc/passwd.gif", gif, true).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();

        String url = (String) created.get("gif");
        assertThat(url).matches("/gif/[A-Za-z0-9_-]{22}").doesNotContain("passwd");
        String message = watcher.next();
        assertThat(message).contains("\"type\":\"gif\"").contains("\"gif\":\"" + url + "\"");
        byte[] served = s.member().web().get().uri(url).exchange().expectStatus().isOk()
                .expectHeader().contentType(MediaType.IMAGE_GIF)
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff")
                .expectHeader().valueEquals("Content-Security-Policy", "sandbox")
                .expectHeader().value("Cache-Control", v -> assertThat(v).contains("immutable").contains("max-age=31536000"))
                .expectBody(byte[].class).returnResult().getResponseBody();
        assertThat(served).isEqualTo(gif);
    }

    @Test
    void unknownGifsAre404() {
        Visitor visitor = Visitor.arrive(port);
        visitor.web().get().uri("/gif/AAAAAAAAAAAAAAAAAAAAAA").exchange().expectStatus().isNotFound();
        visitor.web().get().uri("/gif/not-an-id").exchange().expectStatus().isNotFound();
    }

    @Test
    void everyRejectionStoresAndBroadcastsNothing() {
        Setup s = memberOfARoom();
        long before = stored();
        byte[] valid = TestGifs.animated(32, 2);
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};
        byte[] truncated = java.util.Arrays.copyOf(valid, valid.length / 2);
        byte[] bomb = {'G', 'I', 'F', '8', '9', 'a', 0x40, (byte) 0x9c, 0x40, (byte) 0x9c, 0, 0, 0,
                0x2c, 0, 0, 0, 0, 0x40, (byte) 0x9c, 0x40, (byte) 0x9c, 0, 2, 2, 0x4c, 1, 0, 0x3b};
        byte[] tooBig = new byte[1_200_000];
        System.arraycopy(valid, 0, tooBig, 0, valid.length);

        problem(upload(s.member(), s.room(), "x.gif", png, true), 400);
        problem(upload(s.member(), s.room(), "x.gif", truncated, true), 400);
        problem(upload(s.member(), s.room(), "x.gif", bomb, true), 400);
        problem(upload(s.member(), s.room(), "x.gif", tooBig, true), 413);
        problem(upload(Visitor.arrive(port), s.room(), "x.gif", valid, true), 403);
        upload(s.member(), s.room(), "x.gif", valid, false).expectStatus().isForbidden();

        assertThat(stored()).isEqualTo(before);
        assertThat(watcher.next(Duration.ofMillis(500))).as("nothing broadcast").isNull();
    }

    static void problem(WebTestClient.ResponseSpec response, int status) {
        response.expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isNotEmpty();
    }

    @Test
    void deletingARoomDeletesItsGifs() {
        Setup s = memberOfARoom();
        long before = stored();
        upload(s.member(), s.room(), "x.gif", TestGifs.animated(16, 1), true).expectStatus().isCreated();
        assertThat(stored()).isEqualTo(before + 1);

        s.member().delete("/api/rooms/" + s.room()).expectStatus().isNoContent();

        assertThat(stored()).isEqualTo(before);
    }
}
