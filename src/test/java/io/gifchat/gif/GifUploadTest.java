package io.gifchat.gif;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import io.gifchat.web.browser.TestGifs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Publisher;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.data.mongodb.ReactiveMongoDatabaseFactory;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.convert.MongoConverter;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.gridfs.GridFsObject;
import org.springframework.data.mongodb.gridfs.ReactiveGridFsTemplate;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Uploads through the real endpoint: what is stored, broadcast and served, every refusal, and uploads racing their
 * room's deletion.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=0s", "gifchat.gif.max-size=1MB"})
class GifUploadTest {

    /** Where an upload's GridFS write can be held: before GridFS gets the bytes, or once it has stored them. */
    enum HoldPoint { NONE, WRITING, WRITTEN }

    /** GridFS with a gate in its write, so a test can delete the room while an upload is at the held point. */
    @TestConfiguration
    static class HeldGridFs {
        volatile HoldPoint holdAt = HoldPoint.NONE;
        volatile Sinks.Empty<Void> released = Sinks.empty();
        final AtomicInteger reached = new AtomicInteger();

        @Bean
        ReactiveGridFsTemplate reactiveGridFsTemplate(ReactiveMongoDatabaseFactory factory, MongoConverter converter) {
            return new ReactiveGridFsTemplate(factory, converter) {
                @Override
                public <T> Mono<T> store(GridFsObject<T, Publisher<DataBuffer>> upload) {
                    HoldPoint at = holdAt;
                    Mono<Void> gate = Mono.defer(() -> {
                        reached.incrementAndGet();
                        return released.asMono();
                    });
                    return switch (at) {
                        case NONE -> super.store(upload);
                        // GridFS has begun the upload and waits for its bytes.
                        case WRITING -> super.store(new GridFsObject<T, Publisher<DataBuffer>>() {
                            @Override
                            public T getFileId() {
                                return upload.getFileId();
                            }

                            @Override
                            public String getFilename() {
                                return upload.getFilename();
                            }

                            @Override
                            public Publisher<DataBuffer> getContent() {
                                return Flux.from(upload.getContent()).delaySubscription(gate);
                            }

                            @Override
                            public Options getOptions() {
                                return upload.getOptions();
                            }
                        });
                        // The file and its chunks are stored; the upload has not been told yet.
                        case WRITTEN -> super.store(upload).flatMap(id -> gate.thenReturn(id));
                    };
                }
            };
        }

        void hold(HoldPoint at) {
            released = Sinks.empty();
            reached.set(0);
            holdAt = at;
        }

        void release() {
            holdAt = HoldPoint.NONE;
            released.tryEmitEmpty();
        }
    }

    @Autowired
    HeldGridFs gridFs;

    @Autowired
    ReactiveMongoTemplate mongo;

    @LocalServerPort
    int port;

    @Autowired
    GifStore store;

    RawStompClient watcher;

    @AfterEach
    void close() {
        gridFs.release();
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

    @Test
    void anUploadWhoseGridFsWriteFinishesAfterItsRoomsCleanupIsRemovedAndAnswered410() throws Exception {
        uploadRacingTheDeletion(HoldPoint.WRITING);
    }

    @Test
    void anUploadStoredWhenItsRoomIsDeletedIsRemovedAndAnswered410() throws Exception {
        uploadRacingTheDeletion(HoldPoint.WRITTEN);
    }

    /** The upload is held at {@code at} while the room is deleted (to the end), then goes on. */
    private void uploadRacingTheDeletion(HoldPoint at) throws Exception {
        Setup s = memberOfARoom();
        long files = mongo.count(new Query(), "fs.files").block(Duration.ofSeconds(5));
        long chunks = mongo.count(new Query(), "fs.chunks").block(Duration.ofSeconds(5));
        gridFs.hold(at);
        CompletableFuture<WebTestClient.ResponseSpec> uploaded = CompletableFuture.supplyAsync(() ->
                upload(s.member(), s.room(), "late.gif", TestGifs.animated(300, 4), true));
        await().atMost(Duration.ofSeconds(10)).until(() -> gridFs.reached.get() == 1);

        s.member().delete("/api/rooms/" + s.room()).expectStatus().isNoContent();
        gridFs.release();

        problem(uploaded.get(20, TimeUnit.SECONDS), 410);
        assertThat(mongo.count(new Query(), "fs.files").block(Duration.ofSeconds(5))).as("files").isEqualTo(files);
        assertThat(mongo.count(new Query(), "fs.chunks").block(Duration.ofSeconds(5))).as("chunks").isEqualTo(chunks);
        assertThat(mongo.count(Query.query(Criteria.where("room").is(s.room())), "chats").block(Duration.ofSeconds(5)))
                .as("lines").isZero();
    }
}
