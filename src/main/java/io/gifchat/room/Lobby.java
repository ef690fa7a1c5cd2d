package io.gifchat.room;

import java.util.function.Supplier;

import io.gifchat.messaging.Wire;
import io.gifchat.messaging.WireEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The live room list: {@link RoomWire.NewRoom}, {@link RoomWire.UpdateRoom} (participants, owner) and
 * {@link RoomWire.RemoveRoom} on {@code /topic/room}, each carrying a {@link RoomView} (never a password hash).
 * Published after the follow-ups of the listeners ordered before it (system lines, a deleted room's cleanup), so
 * the lobby moves once the room's own work is done.
 */
@Component
class Lobby {

    private static final int LAST = 100;

    private final Wire wire;
    private final Rooms rooms;

    Lobby(Wire wire, Rooms rooms) {
        this.wire = wire;
        this.rooms = rooms;
    }

    @EventListener
    @Order(LAST)
    void on(RoomEvents.Created event) {
        publish(event, () -> rooms.view(event.room()).map(RoomWire.NewRoom::new));
    }

    @EventListener({RoomEvents.Joined.class, RoomEvents.Left.class, RoomEvents.OwnerChanged.class, RoomEvents.Kicked.class})
    @Order(LAST)
    void changed(RoomEvents.RoomEvent event) {
        publish(event, () -> rooms.view(event.room()).map(RoomWire.UpdateRoom::new));
    }

    @EventListener
    @Order(LAST)
    void on(RoomEvents.Deleted event) {
        publish(event, () -> Mono.just(new RoomWire.RemoveRoom(new RoomWire.RoomId(event.room().id()))));
    }

    /** After the other listeners' work: the count is read when the update goes out. */
    private void publish(RoomEvents.RoomEvent event, Supplier<Mono<? extends WireEvent>> update) {
        event.andThen(Mono.defer(update).doOnNext(change -> wire.publish(RoomTopics.LOBBY, change)).then());
    }
}
