package io.gifchat.room;

import io.gifchat.domain.Refusal;
import io.gifchat.messaging.Connection;
import io.gifchat.messaging.DestinationPolicy;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The STOMP destinations of rooms. Anyone may watch the lobby ({@code /topic/room}); only the server publishes
 * there. Entering a room is subscribing to {@code /topic/chat/{roomId}} ({@link RoomAccess#enter}), once per
 * connection. Typing signals on {@code /topic/chat/{roomId}/typing} are for a connection that is in the room. Nobody SENDs to a room's topic: messages go
 * through {@code /app/chat/{roomId}}.
 */
@Component
class RoomDestinations implements DestinationPolicy {

    private final RoomAccess access;
    private final Presence presence;

    RoomDestinations(RoomAccess access, Presence presence) {
        this.access = access;
        this.presence = presence;
    }

    @Override
    public boolean covers(String destination) {
        return RoomTopics.LOBBY.equals(destination) || RoomTopics.roomOf(destination) != null
                || RoomTopics.typingRoomOf(destination) != null;
    }

    @Override
    public Mono<Void> authorizeSubscribe(Connection connection, String destination) {
        if (RoomTopics.LOBBY.equals(destination)) {
            return Mono.empty();
        }
        if (connection.subscribes(destination)) {
            // A second subscription would outlive the first's UNSUBSCRIBE, which announces the exit: a member
            // nobody sees, not counted, not kickable, still reading the room.
            return Mono.error(Refusal.of(Refusal.Reason.INVALID, "Already subscribed to " + destination + "."));
        }
        String typing = RoomTopics.typingRoomOf(destination);
        if (typing != null) { // typing signals follow the room on the same connection, and end with it (Attendance)
            return connection.subscribes(RoomTopics.room(typing)) ? Mono.empty()
                    : Mono.error(Refusal.of(Refusal.Reason.NOT_ALLOWED, "You are not in this room."));
        }
        return access.enter(RoomTopics.roomOf(destination), connection.id(), connection.identity());
    }

    @Override
    public Mono<Void> authorizeSend(Connection connection, String destination) {
        String typing = RoomTopics.typingRoomOf(destination);
        return typing != null ? Mono.fromRunnable(() -> presence.requireMember(typing, connection.identity().id()))
                : DestinationPolicy.super.authorizeSend(connection, destination);
    }
}
