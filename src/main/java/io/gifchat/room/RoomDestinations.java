package io.gifchat.room;

import io.gifchat.messaging.Connection;
import io.gifchat.messaging.DestinationPolicy;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The STOMP destinations of rooms. Anyone may watch the lobby ({@code /topic/room}); only the server publishes
 * there. Entering a room is subscribing to {@code /topic/chat/{roomId}} ({@link RoomAccess#enter}). Typing signals
 * on {@code /topic/chat/{roomId}/typing} are for members present. Nobody SENDs to a room's topic: messages go
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
        String typing = RoomTopics.typingRoomOf(destination);
        if (typing != null) {
            return Mono.fromRunnable(() -> presence.requireMember(typing, connection.identity().id()));
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
