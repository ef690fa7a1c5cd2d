package io.gifchat.room;

import io.gifchat.messaging.ConnectionEvents;
import io.gifchat.messaging.Subscriptions;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Presence follows subscriptions to room topics: the first one of an identity is its join, the end of its last one
 * (unsubscribe, closed tab, lost connection, kick) its exit. Several tabs count once. The place itself was taken
 * when the SUBSCRIBE was authorized ({@link RoomAccess#enter}); here the join and the exit are announced.
 */
@Component
class Attendance {

    private final Presence presence;
    private final Ownership ownership;
    private final RoomJanitor janitor;
    private final Subscriptions subscriptions;

    Attendance(Presence presence, Ownership ownership, RoomJanitor janitor, Subscriptions subscriptions) {
        this.presence = presence;
        this.ownership = ownership;
        this.janitor = janitor;
        this.subscriptions = subscriptions;
    }

    @EventListener
    void on(ConnectionEvents.Subscribed event) {
        String roomId = RoomTopics.roomOf(event.subscription().destination());
        var who = event.connection().identity();
        if (roomId != null && presence.announce(roomId, who.id())) {
            janitor.occupied(roomId); // at once, not after the join is announced: that may fail
            event.andThen(ownership.joined(roomId, who));
        }
    }

    @EventListener
    void on(ConnectionEvents.Unsubscribed event) {
        String roomId = RoomTopics.roomOf(event.subscription().destination());
        if (roomId == null) {
            return;
        }
        var who = event.connection().identity();
        // The connection left the room: its typing signals go too (they would tell it what the room does).
        event.andThen(subscriptions.endOn(event.connection(), RoomTopics.typing(roomId)::equals));
        Presence.Departure departure = presence.leave(roomId, event.connection().id(), who.id());
        if (departure.left()) {
            if (departure.remaining().isEmpty()) {
                janitor.emptied(roomId);
            }
            event.andThen(ownership.left(roomId, who, departure.remaining()));
        }
    }
}
