package io.gifchat.room;

import io.gifchat.broker.Subscription;
import io.gifchat.messaging.Connection;
import io.gifchat.messaging.ConnectionListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Presence follows subscriptions to room topics: the first one of an identity is its join, the end of its last one
 * (unsubscribe, closed tab, lost connection) its exit. Several tabs count once.
 */
@Component
class RoomPresenceListener implements ConnectionListener {

    private final Presence presence;
    private final RoomService rooms;
    private final RoomJanitor janitor;

    RoomPresenceListener(Presence presence, RoomService rooms, RoomJanitor janitor) {
        this.presence = presence;
        this.rooms = rooms;
        this.janitor = janitor;
    }

    @Override
    public Mono<Void> subscribed(Connection connection, Subscription subscription) {
        String roomId = RoomTopics.roomOf(subscription.destination());
        if (roomId == null || !presence.announce(roomId, connection.identity().id())) {
            return Mono.empty();
        }
        janitor.occupied(roomId);
        return rooms.joined(roomId, connection.identity());
    }

    @Override
    public Mono<Void> unsubscribed(Connection connection, Subscription subscription) {
        String roomId = RoomTopics.roomOf(subscription.destination());
        if (roomId == null) {
            return Mono.empty();
        }
        Presence.Departure departure = presence.leave(roomId, connection.id(), connection.identity().id());
        if (!departure.left()) {
            return Mono.empty();
        }
        if (departure.remaining().isEmpty()) {
            janitor.emptied(roomId);
        }
        return rooms.left(roomId, connection.identity(), departure.remaining());
    }
}
