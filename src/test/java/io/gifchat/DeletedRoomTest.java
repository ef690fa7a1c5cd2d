package io.gifchat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import io.gifchat.messaging.RawStompClient;
import io.gifchat.room.Visitor;
import io.gifchat.web.browser.TestGifs;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A deleted room leaves nothing behind: no document in any collection mentions it (lines, admissions, the room,
 * GIFs), and no map or set held by the app's beans has a key or element that names it — found by walking every
 * bean of the app, so a map added later is checked too.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=0s", "gifchat.rooms.kick-ban=1h"})
class DeletedRoomTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    ReactiveMongoTemplate mongo;

    private final List<RawStompClient> clients = new ArrayList<>();

    @AfterEach
    void close() {
        clients.forEach(RawStompClient::close);
    }

    @Test
    void aDeletedRoomLeavesNothingInTheStoreOrInMemory() {
        Visitor owner = Visitor.arrive(port);
        String room = owner.createRoom("everything happens here", 10, "sesame");
        Visitor guest = Visitor.arrive(port);
        guest.post("/api/rooms/" + room + "/admission", Map.of("password", "wrong")).expectStatus().isForbidden();
        guest.post("/api/rooms/" + room + "/admission", Map.of("password", "sesame")).expectStatus().isNoContent();
        Visitor kicked = Visitor.arrive(port);
        kicked.post("/api/rooms/" + room + "/admission", Map.of("password", "sesame")).expectStatus().isNoContent();

        RawStompClient ownerTab = enter(owner, room);
        RawStompClient guestTab = enter(guest, room);
        RawStompClient kickedTab = enter(kicked, room);
        subscribe(ownerTab, "typing", io.gifchat.room.RoomTopics.typing(room));
        for (int i = 0; i < 3; i++) {
            guestTab.send("SEND\ndestination:/app/chat/" + room + "\ncontent-type:application/json\nreceipt:m" + i
                    + "\n\n{\"chat\":\"hello " + i + "\",\"clientId\":\"" + UUID.randomUUID() + "\"}\0");
            awaitFrame(guestTab, f -> f.startsWith("RECEIPT"));
        }
        guestTab.send("SEND\ndestination:" + io.gifchat.room.RoomTopics.typing(room) + "\ncontent-type:application/json\n\n{\"typing\":true}\0");
        awaitFrame(ownerTab, f -> f.contains("\"type\":\"typing\""));
        upload(guest, room).expectStatus().isCreated();
        String kickedId = kickedTab.connectedFrame().lines().filter(l -> l.startsWith("user-id:")).findFirst()
                .orElseThrow().substring("user-id:".length());
        owner.post("/api/rooms/" + room + "/kick/" + kickedId, null).expectStatus().isNoContent();
        assertThat(mentions(room)).as("before deletion the test sees the room everywhere").isNotEmpty();

        owner.delete("/api/rooms/" + room).expectStatus().isNoContent();

        await().atMost(WAIT).untilAsserted(() -> assertThat(storedMentions(room)).isEmpty());
        await().atMost(WAIT).untilAsserted(() -> assertThat(mentions(room)).isEmpty());
    }

    private RawStompClient enter(Visitor visitor, String room) {
        RawStompClient client = RawStompClient.connected(port, visitor.cookieHeader());
        clients.add(client);
        subscribe(client, "room", "/topic/chat/" + room);
        return client;
    }

    private static void subscribe(RawStompClient client, String id, String destination) {
        client.send("SUBSCRIBE\nid:" + id + "\ndestination:" + destination + "\nreceipt:" + id + "\n\n\0");
        assertThat(awaitFrame(client, f -> f.startsWith("RECEIPT") || f.startsWith("ERROR"))).startsWith("RECEIPT");
    }

    private static String awaitFrame(RawStompClient client, Predicate<String> match) {
        for (int i = 0; i < 50; i++) {
            String frame = client.next();
            assertThat(frame).as("a matching frame arrived").isNotNull();
            if (match.test(frame)) {
                return frame;
            }
        }
        throw new AssertionError("no matching frame");
    }

    private static org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec upload(Visitor visitor, String room) {
        MultipartBodyBuilder body = new MultipartBodyBuilder();
        body.part("gif", new ByteArrayResource(TestGifs.animated(32, 2)) {
            @Override
            public String getFilename() {
                return "cat.gif";
            }
        }).contentType(MediaType.IMAGE_GIF);
        return visitor.web().post().uri("/room/" + room + "/gif").cookie("SESSION", visitor.cookie())
                .header("X-CSRF-TOKEN", visitor.csrf()).body(BodyInserters.fromMultipartData(body.build())).exchange();
    }

    /** Every stored document, in every collection, whose JSON names the room (GridFS chunks included). */
    private List<String> storedMentions(String room) {
        List<String> found = new ArrayList<>();
        for (String collection : mongo.getCollectionNames().collectList().block(WAIT)) {
            for (Document doc : mongo.findAll(Document.class, collection).collectList().block(WAIT)) {
                if (doc.toJson().contains(room)) {
                    found.add(collection + ": " + doc.toJson());
                }
            }
        }
        return found;
    }

    /** Every place in the app's beans (maps' keys, sets' and lists' elements, reachable from their fields) naming the room. */
    private List<String> mentions(String room) {
        List<String> found = new ArrayList<>(storedMentions(room));
        Set<Object> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (String name : context.getBeanDefinitionNames()) {
            Object bean = context.getBean(name);
            if (bean.getClass().getName().startsWith("io.gifchat.")) {
                walk(bean, name, room, seen, found, 0);
            }
        }
        return found;
    }

    private static boolean isState(Class<?> type) {
        return !type.isSynthetic() && !type.getName().contains("$$Lambda");
    }

    private static void walk(Object value, String path, String room, Set<Object> seen, List<String> found, int depth) {
        if (value == null || depth > 6 || !seen.add(value)) {
            return;
        }
        if (value instanceof CharSequence s) {
            if (s.toString().contains(room)) {
                found.add(path + " = " + s);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : List.copyOf(map.entrySet())) {
                if (String.valueOf(e.getKey()).contains(room)) {
                    found.add(path + " has key " + e.getKey());
                }
                walk(e.getValue(), path + "[" + e.getKey() + "]", room, seen, found, depth + 1);
            }
            return;
        }
        if (value instanceof Collection<?> collection) {
            for (Object element : List.copyOf(collection)) {
                walk(element, path + "[]", room, seen, found, depth + 1);
            }
            return;
        }
        Class<?> type = value.getClass();
        if (!type.getName().startsWith("io.gifchat.") || type.isEnum() || !isState(type)) {
            return; // the app's own state only: Spring's, Netty's and the driver's are theirs
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive() || f.getName().equals("this$0")) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    walk(f.get(value), path + "." + f.getName(), room, seen, found, depth + 1);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // a field we may not read is not state we could leave behind
                }
            }
        }
    }
}
