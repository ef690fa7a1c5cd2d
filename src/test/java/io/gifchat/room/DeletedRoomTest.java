package io.gifchat.room;

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

import io.gifchat.messaging.RawStompClient;
import io.gifchat.web.browser.TestGifs;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

import static io.gifchat.messaging.StompProtocolTest.header;
import static io.gifchat.room.RoomRulesTest.await;
import static io.gifchat.room.RoomRulesTest.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A deleted room leaves nothing behind: no document in any collection mentions it (lines, admissions, bans, the
 * room, GIFs), and no map or set held by the app's beans has a key or element that names it — found by walking every
 * bean of the app, so a map added later is checked too. It is deleted while its owner is away (in the owner-grace)
 * and a member's exit is pending (in the leave-grace).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "gifchat.rooms.empty-grace=0s", "gifchat.rooms.kick-ban=1h", "gifchat.rooms.leave-grace=2s",
        "gifchat.rooms.owner-grace=1h"})
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
        Visitor leaver = Visitor.arrive(port);
        leaver.post("/api/rooms/" + room + "/admission", Map.of("password", "sesame")).expectStatus().isNoContent();

        RawStompClient ownerTab = enter(owner, room);
        RawStompClient guestTab = enter(guest, room);
        RawStompClient kickedTab = enter(kicked, room);
        RawStompClient leaverTab = enter(leaver, room);
        assertThat(subscribe(ownerTab, "typing", RoomTopics.typing(room))).startsWith("RECEIPT");
        for (int i = 0; i < 3; i++) {
            guestTab.send("SEND\ndestination:/app/chat/" + room + "\ncontent-type:application/json\nreceipt:m" + i
                    + "\n\n{\"chat\":\"hello " + i + "\",\"clientId\":\"" + UUID.randomUUID() + "\"}\0");
            await(guestTab, f -> f.startsWith("RECEIPT"));
        }
        guestTab.send("SEND\ndestination:" + RoomTopics.typing(room) + "\ncontent-type:application/json\n\n{\"typing\":true}\0");
        await(ownerTab, f -> f.contains("\"type\":\"typing\""));
        guest.uploadGif(room, "cat.gif", TestGifs.animated(32, 2), true).expectStatus().isCreated();
        String kickedId = header(kickedTab.connectedFrame(), "user-id");
        owner.post("/api/rooms/" + room + "/kick/" + kickedId, null).expectStatus().isNoContent();
        unsubscribe(ownerTab);
        await(guestTab, f -> f.contains("\"event\":\"exit\"")); // the owner's: its owner-grace runs now
        assertThat(mentions(room)).as("before deletion the test sees the room everywhere").isNotEmpty();
        unsubscribe(leaverTab); // its exit waits for the leave-grace

        owner.delete("/api/rooms/" + room).expectStatus().isNoContent();

        await().atMost(WAIT).untilAsserted(() -> assertThat(storedMentions(room)).isEmpty());
        await().atMost(WAIT).untilAsserted(() -> assertThat(mentions(room)).isEmpty());
    }

    private static void unsubscribe(RawStompClient client) {
        client.send("UNSUBSCRIBE\nid:room\nreceipt:out\n\n\0");
        await(client, f -> f.startsWith("RECEIPT") && f.contains("receipt-id:out"));
    }

    private RawStompClient enter(Visitor visitor, String room) {
        RawStompClient client = RawStompClient.connected(port, visitor.cookieHeader());
        clients.add(client);
        assertThat(RoomRulesTest.enter(client, room)).startsWith("RECEIPT");
        return client;
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

    /** Every stored document naming the room, and every place in the app's beans naming it. */
    private List<String> mentions(String room) {
        List<String> found = new ArrayList<>(storedMentions(room));
        found.addAll(heldInMemory(context, room));
        return found;
    }

    /** Every place in the app's beans (maps' keys, sets' and lists' elements, reachable from their fields) naming the room. */
    static List<String> heldInMemory(ApplicationContext context, String room) {
        List<String> found = new ArrayList<>();
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
