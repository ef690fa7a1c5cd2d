package io.gifchat.gif;

import io.gifchat.room.RoomEvents;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** A deleted room's GIFs go with it. */
@Component
class GifCleanup {

    private final GifStore store;

    GifCleanup(GifStore store) {
        this.store = store;
    }

    @EventListener
    @Order(30) // before the lobby: removeRoom goes out once the files are gone
    void on(RoomEvents.Deleted event) {
        event.andThen(store.deleteRoom(event.room().id()));
    }
}
