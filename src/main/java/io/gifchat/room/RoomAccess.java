package io.gifchat.room;

import io.gifchat.messaging.Connection;
import io.gifchat.messaging.DestinationPolicy;
import io.gifchat.messaging.StompDeniedException;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Entering a room is subscribing to {@code /topic/chat/{roomId}}: allowed for an existing room, to an identity not
 * recently kicked, admitted if the room is locked, and only while there is space — checked and taken atomically
 * ({@link Presence#enter}). Typing signals on {@code /topic/chat/{roomId}/typing} are for members present.
 * Nobody SENDs to a room's topic: messages go through {@code /app/chat/{roomId}}.
 */
@Component
class RoomAccess implements DestinationPolicy {

    private final RoomService rooms;
    private final Presence presence;

    RoomAccess(RoomService rooms, Presence presence) {
        this.rooms = rooms;
        this.presence = presence;
    }

    @Override
    public boolean covers(String destination) {
        return RoomTopics.roomOf(destination) != null || RoomTopics.typingRoomOf(destination) != null;
    }

    @Override
    public Mono<Void> authorizeSubscribe(Connection connection, String destination) {
        String typing = RoomTopics.typingRoomOf(destination);
        if (typing != null) {
            return membersOnly(connection, typing);
        }
        String roomId = RoomTopics.roomOf(destination);
        String identity = connection.identity().id();
        return rooms.find(roomId)
                .switchIfEmpty(Mono.error(new StompDeniedException("room not found")))
                .filter(room -> !rooms.isBanned(roomId, identity))
                .switchIfEmpty(Mono.error(new StompDeniedException("you were removed from this room")))
                .flatMap(room -> rooms.isAdmitted(room, identity)
                        .filter(Boolean::booleanValue)
                        .switchIfEmpty(Mono.error(new StompDeniedException("password required")))
                        .flatMap(admitted -> presence.enter(roomId, connection.id(), connection.identity(), room.max())
                                == Presence.Entry.FULL
                                ? Mono.error(new StompDeniedException("room is full"))
                                : Mono.empty()));
    }

    @Override
    public Mono<Void> authorizeSend(Connection connection, String destination) {
        String typing = RoomTopics.typingRoomOf(destination);
        return typing != null ? membersOnly(connection, typing) : DestinationPolicy.super.authorizeSend(connection, destination);
    }

    private Mono<Void> membersOnly(Connection connection, String roomId) {
        return presence.isPresent(roomId, connection.identity().id()) ? Mono.empty()
                : Mono.error(new StompDeniedException("members only"));
    }
}
