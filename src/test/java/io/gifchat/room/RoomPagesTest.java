package io.gifchat.room;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.gifchat.messaging.RawStompClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.BodyInserters;

import static io.gifchat.messaging.StompProtocolTest.header;
import static org.assertj.core.api.Assertions.assertThat;

/** The pages a visitor meets, and the admin's, through HTTP as a browser sends it (forms, htmx headers). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=0s", "gifchat.admin.password=correct horse battery"})
class RoomPagesTest {

    @LocalServerPort
    int port;

    String page(Visitor visitor, String uri, int status) {
        return visitor.get(uri).expectStatus().isEqualTo(status).expectBody(String.class).returnResult().getResponseBody();
    }

    EntityExchangeResult<String> form(Visitor visitor, String uri, String... namesAndValues) {
        var data = BodyInserters.fromFormData("_csrf", visitor.csrf());
        for (int i = 0; i < namesAndValues.length; i += 2) {
            data = data.with(namesAndValues[i], namesAndValues[i + 1]);
        }
        return visitor.web().post().uri(uri).cookie("SESSION", visitor.cookie()).body(data).exchange()
                .expectBody(String.class).returnResult();
    }

    @Test
    void theLobbyListsRoomsWithOwnerAndCounts() {
        Visitor owner = Visitor.arrive(port);
        owner.createRoom("Cats & <Dogs>", 7, null);

        String lobby = page(Visitor.arrive(port), "/", 200);

        assertThat(lobby).contains("Cats &amp; &lt;Dogs&gt;").contains(">" + owner.name() + "<")
                .contains("class=\"max\">7<").doesNotContain("<Dogs>");
    }

    @Test
    void theCreateFormShowsErrorsNextToFieldsAndSendsTheCreatorIntoTheRoom() {
        Visitor visitor = Visitor.arrive(port);

        var invalid = visitor.web().post().uri("/rooms").cookie("SESSION", visitor.cookie())
                .header("HX-Request", "true").header("X-CSRF-TOKEN", visitor.csrf())
                .body(BodyInserters.fromFormData("title", "").with("max", "500").with("password", "x".repeat(73)))
                .exchange().expectStatus().isEqualTo(422).expectBody(String.class).returnResult().getResponseBody();
        assertThat(invalid).contains("data-field=\"title\"").contains("data-field=\"max\"")
                .contains("data-field=\"password\"").doesNotContain("xxxxxxxx");

        var created = visitor.web().post().uri("/rooms").cookie("SESSION", visitor.cookie())
                .header("HX-Request", "true").header("X-CSRF-TOKEN", visitor.csrf())
                .body(BodyInserters.fromFormData("title", "Mine").with("max", "4").with("password", "pw"))
                .exchange().expectStatus().isOk().returnResult(String.class);
        String location = created.getResponseHeaders().getFirst("HX-Redirect");
        assertThat(location).startsWith("/room/");
        assertThat(page(visitor, location, 200)).as("the creator is admitted to their locked room")
                .contains("id=\"messages\"").contains("Mine");

        var plain = form(visitor, "/rooms", "title", "Plain form", "max", "3");
        assertThat(plain.getStatus().value()).isEqualTo(303);
        assertThat(plain.getResponseHeaders().getLocation().toString()).startsWith("/room/");
    }

    @Test
    void aLockedRoomAsksForItsPasswordByPostAndNeverInTheUrl() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("Locked", 5, "sesame");
        Visitor guest = Visitor.arrive(port);

        String ask = page(guest, "/room/" + id, 200);
        assertThat(ask).contains("This room is locked").contains("method=\"post\"")
                .contains("action=\"/room/" + id + "/admission\"").doesNotContain("id=\"messages\"");

        var wrong = form(guest, "/room/" + id + "/admission", "password", "nope");
        assertThat(wrong.getStatus().value()).isEqualTo(403);
        assertThat(wrong.getResponseBody()).contains("Wrong password.");

        var right = form(guest, "/room/" + id + "/admission", "password", "sesame");
        assertThat(right.getStatus().is3xxRedirection()).isTrue();
        assertThat(right.getResponseHeaders().getLocation().toString()).isEqualTo("/room/" + id);
        assertThat(page(guest, "/room/" + id, 200)).contains("id=\"messages\"");
    }

    @Test
    void missingAndFullRoomsGetTheirOwnPages() {
        Visitor visitor = Visitor.arrive(port);
        assertThat(page(visitor, "/room/does-not-exist", 404)).contains("Room not found");

        String id = visitor.createRoom("Tiny", 2, null);
        try (RawStompClient a = RawStompClient.connected(port); RawStompClient b = RawStompClient.connected(port)) {
            for (RawStompClient c : List.of(a, b)) {
                c.send("SUBSCRIBE\nid:r\ndestination:/topic/chat/" + id + "\nreceipt:in\n\n\0");
                String answer;
                do {
                    answer = c.next();
                } while (answer != null && !answer.startsWith("RECEIPT"));
                assertThat(answer).isNotNull();
            }
            assertThat(page(Visitor.arrive(port), "/room/" + id, 409)).contains("This room is full");
        }
    }

    @Test
    void adminPagesAndEndpointsAreRefusedWithoutLogin() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("Admin target", 5, null);

        var admin = owner.get("/admin").expectStatus().is3xxRedirection().returnResult(String.class);
        assertThat(admin.getResponseHeaders().getLocation().toString()).endsWith("/login");
        Visitor stranger = Visitor.arrive(port);
        stranger.delete("/admin/rooms/" + id).expectStatus().is3xxRedirection();
        stranger.delete("/api/rooms/" + id).expectStatus().isForbidden();
        owner.get("/api/rooms/" + id).expectStatus().isOk();
    }

    @Test
    void theAdminLogsInSeesEveryRoomAndDeletesOne() {
        Visitor owner = Visitor.arrive(port);
        String id = owner.createRoom("Doomed by admin", 5, null);
        Visitor admin = Visitor.arrive(port);

        var wrong = form(admin, "/login", "username", "admin", "password", "guess");
        assertThat(wrong.getResponseHeaders().getLocation().toString()).contains("/login?error");
        var login = form(admin, "/login", "username", "admin", "password", "correct horse battery");
        assertThat(login.getResponseHeaders().getLocation().toString()).endsWith("/");
        String cookie = login.getResponseCookies().getFirst("SESSION") == null ? admin.cookie()
                : login.getResponseCookies().getFirst("SESSION").getValue();

        String page = admin.web().get().uri("/admin").cookie("SESSION", cookie).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(page).contains("Doomed by admin").contains(owner.name());
        Matcher token = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page);
        assertThat(token.find()).isTrue();

        admin.web().delete().uri("/admin/rooms/" + id).cookie("SESSION", cookie).header("X-CSRF-TOKEN", token.group(1))
                .exchange().expectStatus().isOk();
        owner.get("/api/rooms/" + id).expectStatus().isNotFound();
    }
}
