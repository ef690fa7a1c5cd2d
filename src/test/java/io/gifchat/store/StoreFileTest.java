package io.gifchat.store;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.mongodb.MongoWriteException;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.IndexOptions;
import com.mongodb.client.model.Sorts;
import com.mongodb.reactivestreams.client.MongoClient;
import com.mongodb.reactivestreams.client.MongoClients;
import com.mongodb.reactivestreams.client.MongoCollection;
import de.bwaldvogel.mongo.MongoBackend;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import org.bson.Document;
import org.bson.types.Binary;
import org.bson.types.ObjectId;
import org.h2.mvstore.MVStoreException;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The embedded store's file: BSON pages, the old format converted, durable commits, a file that stays small. */
class StoreFileTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void documentsOfEveryKindAndTheirUniqueIndexSurviveAReopen() {
        Path file = dir.resolve("kinds.mv");
        Document stored = new Document("_id", new ObjectId()).append("text", "안녕 👋 مرحبا")
                .append("int", 42).append("long", 1L << 40).append("double", 2.5).append("flag", true)
                .append("at", java.util.Date.from(Instant.parse("2026-12-01T10:00:00Z")))
                .append("nested", new Document("a", List.of(1, "two", new Document("three", 3))))
                .append("bytes", new Binary(new byte[] {1, 2, 3})).append("uuid", new org.bson.types.Binary((byte) 4, new byte[16])).append("none", null);
        withStore(StoreFile.open(file), chats -> {
            Mono.from(chats.createIndex(new Document("room", 1).append("seq", 1), new IndexOptions().unique(true))).block(WAIT);
            Mono.from(chats.insertOne(stored)).block(WAIT);
            Mono.from(chats.insertOne(new Document("_id", "a:1").append("room", "a").append("seq", 1L))).block(WAIT);
            return null;
        });

        withStore(StoreFile.open(file), chats -> {
            assertThat(Mono.from(chats.find(Filters.eq("_id", stored.get("_id")))).block(WAIT)).isEqualTo(stored);
            assertThatThrownBy(() -> Mono.from(chats.insertOne(new Document("room", "a").append("seq", 1))).block(WAIT))
                    .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
            assertThatThrownBy(() -> Mono.from(chats.insertOne(new Document("_id", "a:1"))).block(WAIT))
                    .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
            return null;
        });
    }

    @Test
    void aFileInTheOldFormatIsConvertedWhenOpenedAndKeepsItsDataAndIndexes() throws Exception {
        Path file = dir.resolve("old.mv");
        withStore(new H2Backend(file.toString()), chats -> { // what earlier versions of the app wrote
            Mono.from(chats.createIndex(new Document("room", 1).append("seq", 1), new IndexOptions().unique(true))).block(WAIT);
            Flux.range(1, 50).concatMap(i -> chats.insertOne(line("r" + i % 3, i))).blockLast(WAIT);
            return null;
        });

        withStore(StoreFile.open(file), chats -> {
            assertThat(Flux.from(chats.find(Filters.eq("room", "r1")).sort(Sorts.ascending("seq"))).collectList().block(WAIT))
                    .extracting(d -> d.getLong("seq")).startsWith(1L, 4L, 7L).hasSize(17);
            assertThatThrownBy(() -> Mono.from(chats.insertOne(line("r1", 4))).block(WAIT))
                    .isInstanceOf(MongoWriteException.class).hasMessageContaining("duplicate key");
            Mono.from(chats.insertOne(line("r1", 51))).block(WAIT);
            return null;
        });
        assertThat(Files.exists(dir.resolve("old.mv.before-bson"))).as("the copy kept while converting").isFalse();

        withStore(StoreFile.open(file), chats -> { // opened again: already converted, nothing lost
            assertThat(Mono.from(chats.countDocuments()).block(WAIT)).isEqualTo(51);
            return null;
        });
    }

    @Test
    void anInterruptedConversionStartsAgainFromTheCopy() throws Exception {
        Path file = dir.resolve("old.mv");
        withStore(new H2Backend(file.toString()), chats -> {
            Flux.range(1, 10).concatMap(i -> chats.insertOne(line("r", i))).blockLast(WAIT);
            return null;
        });
        Files.copy(file, dir.resolve("old.mv.before-bson"));
        Files.write(file, new byte[] {1, 2, 3}); // the half-converted file, here simply broken

        withStore(StoreFile.open(file), chats -> {
            assertThat(Mono.from(chats.countDocuments()).block(WAIT)).isEqualTo(10);
            return null;
        });
        assertThat(Files.exists(dir.resolve("old.mv.before-bson"))).isFalse();
    }

    @Test
    void aValueInAnotherFormatIsRefusedWithAClearMessage() {
        WriteBuffer old = new WriteBuffer();
        new ObjectDataType().write(old, new Document("a", 1));
        ByteBuffer bytes = old.getBuffer().flip();

        assertThatThrownBy(() -> BsonTypes.DOCUMENTS.read(bytes)).isInstanceOf(MVStoreException.class)
                .hasMessageContaining("Not a value of the BSON store format");
    }

    @Test
    void whatHousekeepingCommittedSurvivesACrash() {
        Path file = dir.resolve("crash.mv");
        StoreFile store = StoreFile.open(file);
        withServer(store, chats -> {
            Mono.from(chats.insertOne(line("r", 1))).block(WAIT); // written outside any group commit
            store.keep();
            Mono.from(chats.insertOne(line("r", 2))).block(WAIT); // neither committed nor kept
            return null;
        });
        store.getMvStore().closeImmediately(); // as a kill -9: nothing more is written

        withStore(StoreFile.open(file), chats -> {
            assertThat(Flux.from(chats.find()).map(d -> d.getLong("seq")).collectList().block(WAIT)).containsExactly(1L);
            return null;
        });
    }

    @Test
    void roomsCreatedFilledAndDeletedLeaveTheFileSmall() throws Exception {
        Path file = dir.resolve("churn.mv");
        StoreFile store = StoreFile.open(file);
        List<Long> sizes = new ArrayList<>();
        withServer(store, chats -> {
            Mono.from(chats.createIndex(new Document("room", 1).append("seq", 1), new IndexOptions().unique(true))).block(WAIT);
            for (int room = 0; room < 500; room++) { // 20,000 lines, committed 8 at a time as group commits do
                String id = "room-" + room;
                for (int batch = 0; batch < 5; batch++) {
                    int first = batch * 8 + 1;
                    Flux.range(first, 8).map(seq -> line(id, seq)).collectList()
                            .flatMap(lines -> Mono.from(chats.insertMany(lines))).block(WAIT);
                    store.commit();
                }
                Mono.from(chats.deleteMany(Filters.eq("room", id))).block(WAIT);
                store.commit();
                if (room % 25 == 0) {
                    store.keep();
                    sizes.add(store.getMvStore().getFileStore().size());
                }
            }
            return null;
        });
        store.close();

        // Without retention 0 and the housekeeping, H2 kept every chunk for 45 s: tens of MB for the same work.
        assertThat(sizes).allSatisfy(size -> assertThat(size).isLessThan(2L << 20));
        assertThat(Files.size(file)).isLessThan(1L << 20);
    }

    private static Document line(String room, long seq) {
        return new Document("_id", room + ":" + seq).append("room", room).append("seq", seq)
                .append("user", new Document("id", "u1").append("name", "Quiet Otter 42").append("color", "#3d7a99"))
                .append("type", "chat").append("chat", "message " + seq).append("createdAt", new java.util.Date());
    }

    /** Runs {@code work} against the store's {@code chats} collection, then closes the store. */
    private static <T> T withStore(MongoBackend backend, Function<MongoCollection<Document>, T> work) {
        try {
            return withServer(backend, work);
        } finally {
            backend.close();
        }
    }

    /** Runs {@code work} against the store's {@code chats} collection; the store stays open. */
    private static <T> T withServer(MongoBackend backend, Function<MongoCollection<Document>, T> work) {
        MongoServer server = new MongoServer(backend);
        InetSocketAddress address = server.bind();
        try (MongoClient client = MongoClients.create("mongodb://127.0.0.1:" + address.getPort())) {
            return work.apply(client.getDatabase("gifchat").getCollection("chats"));
        } finally {
            server.stopListening();
        }
    }
}
