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
    private final TypingSignals signals;

    RoomDestinations(RoomAccess access, Presence presence, TypingSignals signals) {
        this.access = access;
        this.presence = presence;
        this.signals = signals;
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

    /** A member's SEND to the typing destination is a signal the server writes ({@link TypingSignals}). */
    @Override
    public Mono<Void> send(Connection connection, String destination, Mono<Void> relay) {
        String typing = RoomTopics.typingRoomOf(destination);
        if (typing == null) {
            return DestinationPolicy.super.send(connection, destination, relay);
        }
        return presence.requireMember(typing, connection.identity().id())
                .then(Mono.fromRunnable(() -> signals.typing(typing, connection.identity())));
    }
}
