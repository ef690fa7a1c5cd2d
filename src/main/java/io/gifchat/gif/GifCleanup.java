package io.gifchat.gif;

import io.gifchat.room.Room;
import io.gifchat.room.RoomEvents;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** A deleted room's GIFs go with it. */
@Component
class GifCleanup implements RoomEvents {

    private final GifStore store;

    GifCleanup(GifStore store) {
        this.store = store;
    }

    @Override
    public Mono<Void> deleted(Room room) {
        return store.deleteRoom(room.id());
    }
}
