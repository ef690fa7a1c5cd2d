package io.gifchat.chat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.gifchat.identity.Identity;
import io.gifchat.room.Visitor;
import org.bson.BsonDocument;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Against a MongoDB named by {@code spring.mongodb.uri} (here a MongoDB-wire server the test runs, seen by the app
 * as a real one): chat lines are written with {@code w: "majority", j: true}, and a retried line found stored is
 * answered only after a journaled majority write made after finding it — the commands on the wire show both.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "gifchat.rooms.empty-grace=0s")
@DirtiesContext
class JournaledWritesTest {

    static final MongoServer MONGO = new MongoServer(new MemoryBackend());

    static {
        MONGO.bind(new InetSocketAddress("127.0.0.1", 0));
    }

    static final BsonDocument JOURNALED_MAJORITY = BsonDocument.parse("{w: 'majority', j: true, wtimeout: 5000}");

    @DynamicPropertySource
    static void mongo(DynamicPropertyRegistry registry) {
        registry.add("spring.mongodb.uri", () -> "mongodb://127.0.0.1:" + MONGO.getLocalAddress().getPort() + "/gifchat");
    }

    /** A command the app's client sent: its name and a copy of it (the event's own is valid only while told). */
    record Sent(String name, BsonDocument command) {
        String collection() {
            return command.isString(name) ? command.getString(name).getValue() : "";
        }

        boolean is(String command, String collection) {
            return name.equals(command) && collection().equals(collection);
        }
    }

    /** Every command the app's client sends. */
    @TestConfiguration
    static class Commands {
        final List<Sent> sent = new CopyOnWriteArrayList<>();

        /** The test's MongoDB stops with the context ({@code @DirtiesContext}): no cached context outlives it. */
        @Bean(destroyMethod = "shutdownNow")
        MongoServer testMongo() {
            return MONGO;
        }

        @Bean
        MongoClientSettingsBuilderCustomizer recordCommands() {
            return settings -> settings.addCommandListener(new CommandListener() {
                @Override
                public void commandStarted(CommandStartedEvent event) {
                    sent.add(new Sent(event.getCommandName(), event.getCommand().clone()));
                }
            });
        }

        List<Sent> to(String command, String collection) {
            return sent.stream().filter(e -> e.is(command, collection)).toList();
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    Commands commands;

    @Autowired
    RoomLog log;

    @Test
    void chatLinesAreWrittenJournaledByAMajorityAndARetryIsAnsweredAfterAJournaledMajorityWrite() {
        String roomId = Visitor.arrive(port).createRoom("Durable", 5, null);
        Identity who = new Identity("i1", "Quiet Otter 42", "#3d7a99");
        String key = roomId + ":i1:k1";

        Chat first = log.append(roomId, key, seq -> Chat.text(key, roomId, seq, who, "hello", "k1", Instant.now()))
                .block(Duration.ofSeconds(10));
        List<Sent> inserts = commands.to("insert", "chats");
        assertThat(inserts).hasSize(1);
        assertThat(inserts.get(0).command().getDocument("writeConcern")).isEqualTo(JOURNALED_MAJORITY);

        int before = commands.sent.size();
        Chat retried = log.append(roomId, key, seq -> Chat.text(key, roomId, seq, who, "hello", "k1", Instant.now()))
                .block(Duration.ofSeconds(10));
        assertThat(retried.seq()).isEqualTo(first.seq());
        List<Sent> after = List.copyOf(commands.sent.subList(before, commands.sent.size()));
        List<Sent> barriers = after.stream().filter(e -> e.is("update", "durability")).toList();
        assertThat(barriers).as("a journaled majority write after the retry found its line").hasSize(1);
        assertThat(barriers.get(0).command().getDocument("writeConcern")).isEqualTo(JOURNALED_MAJORITY);
        Sent lookup = after.stream().filter(e -> e.is("find", "chats")).findFirst().orElseThrow();
        assertThat(after.indexOf(barriers.get(0))).as("the barrier comes after the lookup").isGreaterThan(after.indexOf(lookup));
    }
}
