package io.gifchat.room;

import java.util.Map;

import io.gifchat.broker.Broker;
import io.gifchat.identity.Identity;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * The live room list: {@code newRoom}, {@code updateRoom} (participants, owner) and {@code removeRoom} events on
 * {@code /topic/room}, each carrying a {@link RoomView} (never a password hash).
 */
@Component
@Order(100)
class Lobby implements RoomEvents {

    static final String TOPIC = RoomTopics.LOBBY;

    private final Broker broker;
    private final Presence presence;
    private final JsonMapper json;

    Lobby(Broker broker, Presence presence, JsonMapper json) {
        this.broker = broker;
        this.presence = presence;
        this.json = json;
    }

    @Override
    public Mono<Void> created(Room room) {
        return send("newRoom", room);
    }

    @Override
    public Mono<Void> joined(Room room, Identity who) {
        return send("updateRoom", room);
    }

    @Override
    public Mono<Void> left(Room room, Identity who) {
        return send("updateRoom", room);
    }

    @Override
    public Mono<Void> ownerChanged(Room room, Identity previous) {
        return send("updateRoom", room);
    }

    @Override
    public Mono<Void> kicked(Room room, Identity who) {
        return send("updateRoom", room);
    }

    @Override
    public Mono<Void> deleted(Room room) {
        return Mono.fromRunnable(() -> broker.publish(TOPIC, "application/json",
                json.writeValueAsBytes(Map.of("type", "removeRoom", "room", Map.of("id", room.id())))));
    }

    private Mono<Void> send(String type, Room room) {
        return Mono.fromRunnable(() -> broker.publish(TOPIC, "application/json",
                json.writeValueAsBytes(Map.of("type", type, "room", RoomView.of(room, presence.count(room.id()))))));
    }
}
