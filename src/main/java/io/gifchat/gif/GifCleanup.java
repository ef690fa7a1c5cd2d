package io.gifchat.gif;

import io.gifchat.limits.Budget;
import io.gifchat.limits.Budgets;
import io.gifchat.room.RoomEvents;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** A deleted room's GIFs go with it, and its GIF budget (on every node: one deleted elsewhere too). */
@Component
class GifCleanup {

    private final GifStore store;
    private final Budgets budgets;

    GifCleanup(GifStore store, Budgets budgets) {
        this.store = store;
        this.budgets = budgets;
    }

    @EventListener
    @Order(30) // before the lobby: removeRoom goes out once the files are gone
    void on(RoomEvents.Deleted event) {
        event.andThen(budgets.forget(Budget.GIF_BYTES_PER_ROOM, event.room().id()));
        event.andThen(store.deleteRoom(event.room().id()));
    }

    @EventListener
    void on(RoomEvents.DeletedElsewhere event) {
        budgets.forget(Budget.GIF_BYTES_PER_ROOM, event.roomId());
    }
}
