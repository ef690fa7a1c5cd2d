package io.gifchat.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.web.reactive.function.BodyInserters;

import static io.gifchat.messaging.StompProtocolTest.header;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two nodes, each in a JVM of its own: a kick and an administrator's deletion on node A take effect on node B's
 * connections — their subscriptions end there (B hears of it through the cluster's notices), they are told, B
 * refuses what they send afterwards, and B's copy of the room's bans knows the kick at once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CrossNodeModerationTest extends AcrossTwoNodes {

    private static final Duration WAIT = RoomTab.WAIT;
    private static final String ADMIN_PASSWORD = "correct horse battery";

    @Override
    ClusterRun start() {
        return ClusterRun.onSharedRedis("moderation", 2, "--gifchat.admin.password=" + ADMIN_PASSWORD);
    }

    @Test
    void aMemberKickedOnNodeALosesItsSubscriptionsOnNodeBIsToldAndCannotComeBackThere() {
        Visitor owner = a.arrive();
        String room = owner.createRoom("Kicked across nodes", 10, null);
        RoomTab ownerTab = tab(RoomTab.enter(a, owner, room));
        Visitor guest = b.arrive();
        RoomTab guestTab = tab(RoomTab.enter(b, guest, room));
        guestTab.subscribe("notice", "/user/queue/notice");
        guestTab.subscribe("typing", "/topic/chat/" + room + "/typing");
        guest.get("/room/" + room).expectStatus().isOk(); // node B's copy of the room's bans is read now: none

        owner.post("/api/rooms/" + room + "/kick/" + guestTab.identity(), null).expectStatus().isNoContent();

        assertThat(guestTab.take(f -> f.contains("\"kicked\""), WAIT)).contains("/user/queue/notice").contains(room);
        guestTab.say("still here?", "after-kick");
        assertThat(guestTab.take(f -> "/user/queue/errors".equals(header(f, "destination")), WAIT))
                .as("node B no longer counts it in the room").contains("You are not in this room.");
        ownerTab.sayReceipted("said after the kick");
        assertThat(guestTab.getsLine(RoomTab.chat("said after the kick"), Duration.ofSeconds(1)))
                .as("its subscription to the room ended on node B").isFalse();
        RawStompClient again = connect(b, guest);
        again.send("SUBSCRIBE\nid:room\ndestination:/topic/chat/" + room + "\nreceipt:in\n\n\0");
        assertThat(header(again.next(WAIT), "message")).isEqualTo("You were removed from this room.");
        guest.get("/room/" + room).expectStatus().isForbidden(); // node B's copy of the bans knows the kick
    }

    @Test
    void anAdminDeletionOnNodeAEndsTheMembersSubscriptionsOnNodeBWhichRefusesTheirLines() {
        Visitor owner = b.arrive();
        String room = owner.createRoom("Deleted across nodes", 10, null);
        RoomTab ownerTab = tab(RoomTab.enter(b, owner, room));
        RoomTab guestTab = tab(RoomTab.enter(b, b.arrive(), room));
        guestTab.subscribe("typing", "/topic/chat/" + room + "/typing");
        guestTab.sayReceipted("before the deletion"); // node B's log of the room knows its seq now

        Visitor admin = loggedInAdmin(a);
        String adminPage = admin.get("/admin").expectStatus().isOk().expectBody(String.class).returnResult()
                .getResponseBody();
        assertThat(adminPage).as("node A's admin page lists the room made on node B with the members there")
                .contains("Deleted across nodes").contains(owner.name());
        b.as(admin).get("/admin").expectStatus().isOk(); // the admin login follows the browser to node B
        admin.web().delete().uri("/admin/rooms/" + room).cookie("SESSION", admin.cookie())
                .header("X-CSRF-TOKEN", admin.csrf()).exchange().expectStatus().isOk();

        for (RoomTab member : List.of(ownerTab, guestTab)) {
            assertThat(member.take(f -> f.contains("\"roomDeleted\""), WAIT)).contains(room);
        }
        guestTab.say("anyone?", "after-deletion");
        assertThat(guestTab.take(f -> "/user/queue/errors".equals(header(f, "destination")), WAIT))
                .contains("You are not in this room.");
        RawStompClient again = connect(b, owner);
        again.send("SUBSCRIBE\nid:room\ndestination:/topic/chat/" + room + "\nreceipt:in\n\n\0");
        assertThat(again.next(WAIT)).startsWith("ERROR");
        owner.get("/api/rooms/" + room + "/chats").expectStatus().isNotFound();
    }

    /** The administrator, logged in through node {@code node}'s login form: its session and CSRF token. */
    private Visitor loggedInAdmin(NodeProcess node) {
        Visitor visitor = node.arrive();
        var login = visitor.web().post().uri("/login").cookie("SESSION", visitor.cookie())
                .body(BodyInserters.fromFormData("_csrf", visitor.csrf()).with("username", "admin")
                        .with("password", ADMIN_PASSWORD))
                .exchange().expectStatus().is3xxRedirection().expectBody(String.class).returnResult();
        assertThat(login.getResponseHeaders().getLocation().toString()).endsWith("/");
        String cookie = login.getResponseCookies().getFirst("SESSION") == null ? visitor.cookie()
                : login.getResponseCookies().getFirst("SESSION").getValue();
        String page = visitor.web().get().uri("/admin").cookie("SESSION", cookie).exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        Matcher token = Pattern.compile("<meta name=\"csrf-token\" content=\"([^\"]+)\"").matcher(page);
        assertThat(token.find()).isTrue();
        return new Visitor(visitor.web(), cookie, token.group(1), visitor.name());
    }

    private RawStompClient connect(NodeProcess node, Visitor visitor) {
        return tab(node.connect(visitor));
    }
}
