package io.gifchat.room;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.gifchat.MovableClock;
import io.gifchat.MovableTime;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.reactive.function.BodyInserters;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One room per create request, however often it arrives: the form's {@code idempotencyKey} and the API's
 * {@code Idempotency-Key} header, per identity, for {@code idempotency-window}, in a bounded store.
 */
@Import(MovableTime.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=0s", "gifchat.rooms.idempotency-keys=3", "gifchat.limits.rooms=100/10m",
        "gifchat.limits.rooms-per-address=100/10m", "gifchat.limits.new-sessions=1000/1m"})
class RoomCreationKeysTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Autowired
    MovableClock clock;

    @Autowired
    RoomCreations creations;

    /** The lobby form as a browser without script posts it. */
    static EntityExchangeResult<String> postForm(Visitor visitor, String title, String key) {
        return visitor.web().post().uri("/rooms").cookie("SESSION", visitor.cookie())
                .body(BodyInserters.fromFormData("_csrf", visitor.csrf()).with("title", title).with("max", "5")
                        .with("idempotencyKey", key))
                .exchange().expectBody(String.class).returnResult();
    }

    static EntityExchangeResult<Map> postApi(Visitor visitor, Map<String, Object> body, String key) {
        return visitor.web().post().uri("/api/rooms").cookie("SESSION", visitor.cookie())
                .header("X-CSRF-TOKEN", visitor.csrf()).header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectBody(Map.class).returnResult();
    }

    long roomsTitled(Visitor visitor, String title) {
        List<Map> rooms = visitor.get("/api/rooms").expectStatus().isOk().expectBodyList(Map.class).returnResult()
                .getResponseBody();
        return rooms.stream().filter(room -> title.equals(room.get("title"))).count();
    }

    @Test
    void theSameFormPostedTwiceLeadsIntoTheRoomTheFirstPostMade() {
        Visitor visitor = Visitor.arrive(port);
        String key = UUID.randomUUID().toString();

        var first = postForm(visitor, "Posted twice", key);
        var second = postForm(visitor, "Posted twice", key);

        assertThat(first.getStatus().value()).isEqualTo(303);
        assertThat(second.getStatus().value()).isEqualTo(303);
        assertThat(second.getResponseHeaders().getLocation()).isEqualTo(first.getResponseHeaders().getLocation());
        assertThat(roomsTitled(visitor, "Posted twice")).isEqualTo(1);
        var htmx = visitor.web().post().uri("/rooms").cookie("SESSION", visitor.cookie())
                .header("HX-Request", "true").header("X-CSRF-TOKEN", visitor.csrf())
                .body(BodyInserters.fromFormData("title", "Posted twice").with("max", "5").with("idempotencyKey", key))
                .exchange().expectStatus().isOk().returnResult(String.class);
        assertThat(htmx.getResponseHeaders().getFirst("HX-Redirect"))
                .isEqualTo(first.getResponseHeaders().getLocation().toString());
    }

    @Test
    void tenSimultaneousPostsWithOneKeyMakeOneRoom() {
        Visitor visitor = Visitor.arrive(port);
        String key = UUID.randomUUID().toString();

        List<String> locations = Flux.range(0, 10)
                .flatMap(i -> Mono.fromCallable(() -> postForm(visitor, "Clicked ten times", key))
                        .subscribeOn(Schedulers.boundedElastic()))
                .map(result -> {
                    assertThat(result.getStatus().value()).isEqualTo(303);
                    return result.getResponseHeaders().getLocation().toString();
                })
                .collectList().block(WAIT);

        assertThat(locations).hasSize(10).containsOnly(locations.get(0));
        assertThat(roomsTitled(visitor, "Clicked ten times")).isEqualTo(1);
    }

    @Test
    void theApiAnswersARepeatedIdempotencyKeyWithTheSameRoom() {
        Visitor visitor = Visitor.arrive(port);
        Map<String, Object> body = Map.of("title", "Api once", "max", 4);
        String key = UUID.randomUUID().toString();

        var first = postApi(visitor, body, key);
        var again = postApi(visitor, body, "\"" + key + "\""); // the draft's structured-field form, quoted
        var other = postApi(visitor, body, UUID.randomUUID().toString());

        assertThat(first.getStatus().value()).isEqualTo(201);
        assertThat(again.getStatus().value()).isEqualTo(201);
        assertThat(again.getResponseBody().get("id")).isEqualTo(first.getResponseBody().get("id"));
        assertThat(again.getResponseHeaders().getLocation()).isEqualTo(first.getResponseHeaders().getLocation());
        assertThat(other.getResponseBody().get("id")).as("another key, another room")
                .isNotEqualTo(first.getResponseBody().get("id"));
        assertThat(roomsTitled(visitor, "Api once")).isEqualTo(2);
    }

    @Test
    void anotherIdentityUsingTheSameKeyMakesItsOwnRoom() {
        Visitor alice = Visitor.arrive(port);
        Visitor bob = Visitor.arrive(port);
        String key = UUID.randomUUID().toString();

        var hers = postForm(alice, "Same key", key);
        var his = postForm(bob, "Same key", key);

        assertThat(his.getResponseHeaders().getLocation()).isNotEqualTo(hers.getResponseHeaders().getLocation());
        assertThat(roomsTitled(alice, "Same key")).isEqualTo(2);
    }

    @Test
    void aKeyRepeatedWithAnotherFormIsRefusedAndMakesNothing() {
        Visitor visitor = Visitor.arrive(port);
        String key = UUID.randomUUID().toString();
        postApi(visitor, Map.of("title", "First form", "max", 4), key);

        var changed = postApi(visitor, Map.of("title", "Second form", "max", 4), key);

        assertThat(changed.getStatus().value()).isEqualTo(400);
        assertThat((String) changed.getResponseBody().get("detail")).contains("already sent for a different room");
        assertThat(roomsTitled(visitor, "Second form")).isZero();
    }

    @Test
    void aRefusedCreateIsNotRememberedSoTheCorrectedFormCanUseTheSameKey() {
        Visitor visitor = Visitor.arrive(port);
        String key = UUID.randomUUID().toString();

        var invalid = postForm(visitor, "", key);
        assertThat(invalid.getStatus().value()).isEqualTo(422);
        assertThat(invalid.getResponseBody()).as("the form comes back with its key")
                .contains("name=\"idempotencyKey\" value=\"" + key + "\"");

        var fixed = postForm(visitor, "Fixed title", key);
        assertThat(fixed.getStatus().value()).isEqualTo(303);
        assertThat(roomsTitled(visitor, "Fixed title")).isEqualTo(1);
    }

    @Test
    void aKeyIsForgottenAfterTheWindowAndWhenItsRoomIsDeleted() {
        Visitor visitor = Visitor.arrive(port);
        Map<String, Object> body = Map.of("title", "Window", "max", 4);
        String key = UUID.randomUUID().toString();
        Object first = postApi(visitor, body, key).getResponseBody().get("id");

        clock.advance(Duration.ofMinutes(11));
        Object later = postApi(visitor, body, key).getResponseBody().get("id");
        assertThat(later).as("after gifchat.rooms.idempotency-window (10m) the key is new again").isNotEqualTo(first);

        visitor.delete("/api/rooms/" + later).expectStatus().isNoContent();
        var afterDeletion = postApi(visitor, body, key);
        assertThat(afterDeletion.getStatus().value()).isEqualTo(201);
        assertThat(afterDeletion.getResponseBody().get("id")).as("the deleted room's key went with it")
                .isNotEqualTo(later);
    }

    @Test
    void malformedKeysAreRefused() {
        Visitor visitor = Visitor.arrive(port);
        Map<String, Object> body = Map.of("title", "Bad key", "max", 4);

        for (String key : List.of("x".repeat(RoomCreations.KEY_MAX_LENGTH + 1), "\"\"", "has space")) {
            var refused = postApi(visitor, body, key);
            assertThat(refused.getStatus().value()).as("key %s", key).isEqualTo(400);
            assertThat((String) refused.getResponseBody().get("detail")).contains("idempotency key");
        }
        assertThat(roomsTitled(visitor, "Bad key")).isZero();
    }

    @Test
    void theKeyStoreHoldsAtMostIdempotencyKeysKeys() {
        Visitor visitor = Visitor.arrive(port);
        for (int i = 0; i < 8; i++) {
            assertThat(postApi(visitor, Map.of("title", "Bound " + i, "max", 4), UUID.randomUUID().toString())
                    .getStatus().value()).isEqualTo(201);
        }
        assertThat(creations.remembered()).as("gifchat.rooms.idempotency-keys=3").isLessThanOrEqualTo(3);
    }
}
