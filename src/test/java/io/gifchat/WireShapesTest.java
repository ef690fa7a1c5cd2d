package io.gifchat;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.gifchat.chat.ChatLine;
import io.gifchat.chat.WhisperLine;
import io.gifchat.identity.Identity;
import io.gifchat.messaging.ErrorNotice;
import io.gifchat.messaging.Wire;
import io.gifchat.messaging.WireEvent;
import io.gifchat.room.RoomView;
import io.gifchat.room.RoomWire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every JSON event on the wire, pinned byte for byte as the app's own mapper writes it: a renamed field, a dropped
 * one or a changed order fails here, not in a browser. The README's protocol section shows the same examples.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WireShapesTest {

    static final Identity ANN = new Identity("a1", "Quiet Otter 42", "#3d7a99");
    static final Identity BO = new Identity("b2", "Brave Falcon 7", "#996b3d");
    static final Instant AT = Instant.parse("2026-12-01T09:30:00Z");
    static final RoomView ROOM = new RoomView("r1", "Cats", false, 2, 10, ANN, AT);

    static final String ANN_JSON = "{\"id\":\"a1\",\"name\":\"Quiet Otter 42\",\"color\":\"#3d7a99\"}";
    static final String BO_JSON = "{\"id\":\"b2\",\"name\":\"Brave Falcon 7\",\"color\":\"#996b3d\"}";
    static final String ROOM_JSON = "{\"id\":\"r1\",\"title\":\"Cats\",\"locked\":false,\"participants\":2,\"max\":10,"
            + "\"owner\":" + ANN_JSON + ",\"createdAt\":\"2026-12-01T09:30:00Z\"}";

    @Autowired
    Wire wire;

    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of(new RoomWire.NewRoom(ROOM), "{\"type\":\"newRoom\",\"room\":" + ROOM_JSON + "}"),
                Arguments.of(new RoomWire.UpdateRoom(ROOM), "{\"type\":\"updateRoom\",\"room\":" + ROOM_JSON + "}"),
                Arguments.of(new RoomWire.RemoveRoom(new RoomWire.RoomId("r1")),
                        "{\"type\":\"removeRoom\",\"room\":{\"id\":\"r1\"}}"),
                Arguments.of(new RoomWire.PresenceUpdate("r1", ANN, List.of(ANN, BO)),
                        "{\"type\":\"presence\",\"room\":\"r1\",\"owner\":" + ANN_JSON + ",\"participants\":["
                                + ANN_JSON + "," + BO_JSON + "]}"),
                Arguments.of(new RoomWire.RoomDeleted("r1"), "{\"type\":\"roomDeleted\",\"room\":\"r1\"}"),
                Arguments.of(new RoomWire.Typing("r1", ANN), "{\"type\":\"typing\",\"room\":\"r1\",\"user\":" + ANN_JSON + "}"),
                Arguments.of(new RoomWire.Kicked("r1", "Cats", "The owner removed you from this room.", AT),
                        "{\"type\":\"kicked\",\"room\":\"r1\",\"title\":\"Cats\","
                                + "\"reason\":\"The owner removed you from this room.\",\"until\":\"2026-12-01T09:30:00Z\"}"),
                Arguments.of(new ChatLine("chat", "c1", 7, "r1", ANN, "hello", null, null,
                                "6f1c2a43-9b8e-4d2f-a1c3-5e7b9d0f2a41", AT),
                        "{\"type\":\"chat\",\"id\":\"c1\",\"seq\":7,\"room\":\"r1\",\"user\":" + ANN_JSON
                                + ",\"chat\":\"hello\",\"clientId\":\"6f1c2a43-9b8e-4d2f-a1c3-5e7b9d0f2a41\","
                                + "\"createdAt\":\"2026-12-01T09:30:00Z\"}"),
                Arguments.of(new ChatLine("gif", "c2", 8, "r1", ANN, null, "/gif/AAAAAAAAAAAAAAAAAAAAAA", null, null, AT),
                        "{\"type\":\"gif\",\"id\":\"c2\",\"seq\":8,\"room\":\"r1\",\"user\":" + ANN_JSON
                                + ",\"gif\":\"/gif/AAAAAAAAAAAAAAAAAAAAAA\",\"createdAt\":\"2026-12-01T09:30:00Z\"}"),
                Arguments.of(new ChatLine("system", "c3", 9, "r1", BO, "Brave Falcon 7 joined", null, "join", null, AT),
                        "{\"type\":\"system\",\"id\":\"c3\",\"seq\":9,\"room\":\"r1\",\"user\":" + BO_JSON
                                + ",\"chat\":\"Brave Falcon 7 joined\",\"event\":\"join\",\"createdAt\":\"2026-12-01T09:30:00Z\"}"),
                Arguments.of(new WhisperLine("r1", ANN, BO, "psst", null, AT),
                        "{\"type\":\"whisper\",\"room\":\"r1\",\"from\":" + ANN_JSON + ",\"to\":" + BO_JSON
                                + ",\"chat\":\"psst\",\"createdAt\":\"2026-12-01T09:30:00Z\"}"),
                Arguments.of(new ErrorNotice("The message is empty.", "/app/chat/r1", "r7",
                                "6f1c2a43-9b8e-4d2f-a1c3-5e7b9d0f2a41"),
                        "{\"type\":\"error\",\"message\":\"The message is empty.\",\"destination\":\"/app/chat/r1\","
                                + "\"receipt\":\"r7\",\"clientId\":\"6f1c2a43-9b8e-4d2f-a1c3-5e7b9d0f2a41\"}"),
                Arguments.of(new ErrorNotice("You are not in this room.", "/app/chat/r1", null, null),
                        "{\"type\":\"error\",\"message\":\"You are not in this room.\",\"destination\":\"/app/chat/r1\"}"));
    }

    /** A new kind of event cannot reach the wire without a pinned shape here. */
    @Test
    void everyEventOnTheWireIsPinned() {
        Set<String> pinned = events().map(arguments -> arguments.get()[0].getClass().getName()).collect(Collectors.toSet());
        Set<String> declared = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.gifchat").stream()
                .filter(type -> type.isAssignableTo(WireEvent.class) && !type.isInterface())
                .map(JavaClass::getName).collect(Collectors.toSet());
        assertThat(declared).isNotEmpty();
        assertThat(pinned).containsAll(declared);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("events")
    void eachEventHasItsPinnedShape(WireEvent event, String json) {
        assertThat(new String(wire.json(event), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(json);
    }
}
