package io.gifchat.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.gifchat.identity.Identity;
import io.gifchat.messaging.RawStompClient;
import io.gifchat.messaging.StompProtocolTest;
import io.gifchat.room.Room;
import io.gifchat.room.RoomRepository;
import io.gifchat.room.RoomTopics;
import io.gifchat.room.Visitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/** With the H2 file backend, what was written before a graceful stop is there after a restart: sessions, rooms, bans. */
class RestartTest {

    private static final Pattern NICKNAME = Pattern.compile("class=\"nickname\"[^>]*data-color=\"(#[0-9a-f]{6})\"[^>]*>([^<]+)<");

    @TempDir
    Path dir;

    ConfigurableApplicationContext start() {
        return HealthTest.start("--server.port=0", "--gifchat.embedded-mongo.storage=file",
                "--gifchat.embedded-mongo.path=" + dir.resolve("data/gifchat.mv"));
    }

    static EntityExchangeResult<String> home(ConfigurableApplicationContext app, String cookie) {
        var request = HealthTest.client(app).get().uri("/");
        if (cookie != null) {
            request = request.cookie("SESSION", cookie);
        }
        return request.exchange().expectStatus().isOk().expectBody(String.class).returnResult();
    }

    static String nickname(EntityExchangeResult<String> page) {
        Matcher m = NICKNAME.matcher(page.getResponseBody());
        assertThat(m.find()).isTrue();
        return m.group(2) + " " + m.group(1);
    }

    @Test
    void sessionAndRoomSurviveAGracefulRestart() {
        String cookie;
        String nickname;
        String roomId;
        try (ConfigurableApplicationContext app = start()) {
            var page = home(app, null);
            cookie = page.getResponseCookies().getFirst("SESSION").getValue();
            nickname = nickname(page);
            Room room = new Room(null, "survives restarts", 10, new Identity("owner-id", "Owner", "#123456"), "owner-id",
                    null, Instant.now());
            roomId = app.getBean(RoomRepository.class).save(room).block(Duration.ofSeconds(10)).id();
        }

        try (ConfigurableApplicationContext app = start()) {
            assertThat(nickname(home(app, cookie))).isEqualTo(nickname);
            Room room = app.getBean(RoomRepository.class).findById(roomId).block(Duration.ofSeconds(10));
            assertThat(room).isNotNull();
            assertThat(room.title()).isEqualTo("survives restarts");
            assertThat(room.owner().name()).isEqualTo("Owner");
        }
    }

    @Test
    void aKickedIdentityStaysOutOfTheRoomAcrossARestart() {
        String roomId;
        String guestCookie;
        try (ConfigurableApplicationContext app = start()) {
            int port = port(app);
            Visitor owner = Visitor.arrive(port);
            roomId = owner.createRoom("kick that sticks", 10, null);
            Visitor guest = Visitor.arrive(port);
            guestCookie = guest.cookie();
            try (RawStompClient tab = RawStompClient.connected(port, guest.cookieHeader())) {
                tab.send("SUBSCRIBE\nid:room\ndestination:" + RoomTopics.room(roomId) + "\nreceipt:in\n\n\0");
                await(tab, "RECEIPT");
                owner.post("/api/rooms/" + roomId + "/kick/" + StompProtocolTest.header(tab.connectedFrame(), "user-id"),
                        null).expectStatus().isNoContent();
            }
        }

        try (ConfigurableApplicationContext app = start()) {
            int port = port(app);
            WebTestClient web = HealthTest.client(app);
            web.get().uri("/room/" + roomId).cookie("SESSION", guestCookie).exchange().expectStatus().isForbidden();
            web.get().uri("/api/rooms/" + roomId + "/chats").cookie("SESSION", guestCookie).exchange()
                    .expectStatus().isForbidden();
            HttpHeaders cookie = new HttpHeaders();
            cookie.add(HttpHeaders.COOKIE, "SESSION=" + guestCookie);
            try (RawStompClient tab = RawStompClient.connected(port, cookie)) {
                tab.send("SUBSCRIBE\nid:room\ndestination:" + RoomTopics.room(roomId) + "\nreceipt:in\n\n\0");
                assertThat(StompProtocolTest.header(await(tab, "ERROR"), "message"))
                        .isEqualTo("You were removed from this room.");
            }
        }
    }

    static int port(ConfigurableApplicationContext app) {
        return Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
    }

    /** The first frame of this command, skipping the room's lines before it. */
    static String await(RawStompClient client, String command) {
        for (int i = 0; i < 20; i++) {
            String frame = client.next();
            assertThat(frame).as("a %s arrived", command).isNotNull();
            if (frame.startsWith(command)) {
                return frame;
            }
        }
        throw new AssertionError("no " + command);
    }
}
