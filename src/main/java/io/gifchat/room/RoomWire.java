package io.gifchat.room;

import java.time.Instant;
import java.util.List;

import io.gifchat.identity.Identity;
import io.gifchat.messaging.WireEvent;

/** The JSON events of rooms on the wire: the lobby's three, and those on a room's topic and user queues. */
public final class RoomWire {

    private RoomWire() {
    }

    /**
     * {@code /topic/chat/{roomId}/typing}: {@code user} is typing. Written by the server from the sender's
     * identity; whatever the client sent is ignored.
     */
    public record Typing(String room, Identity user) implements WireEvent {
        @Override
        public String type() {
            return "typing";
        }
    }

    /** {@code /topic/room}: a room was created. */
    public record NewRoom(RoomView room) implements WireEvent {
        @Override
        public String type() {
            return "newRoom";
        }
    }

    /** {@code /topic/room}: a room's participants count or owner changed. */
    public record UpdateRoom(RoomView room) implements WireEvent {
        @Override
        public String type() {
            return "updateRoom";
        }
    }

    /** {@code /topic/room}: a room was deleted. */
    public record RemoveRoom(RoomId room) implements WireEvent {
        @Override
        public String type() {
            return "removeRoom";
        }
    }

    /** Only the id of a room that is gone. */
    public record RoomId(String id) {
    }

    /** {@code /topic/chat/{roomId}}: who is in the room now, longest present first, after every change. */
    public record PresenceUpdate(String room, Identity owner, List<Identity> participants) implements WireEvent {
        @Override
        public String type() {
            return "presence";
        }
    }

    /** {@code /topic/chat/{roomId}}: the room was deleted; its subscriptions end right after. */
    public record RoomDeleted(String room) implements WireEvent {
        @Override
        public String type() {
            return "roomDeleted";
        }
    }

    /** {@code /user/queue/notice}, to every tab of the removed identity. */
    public record Kicked(String room, String title, String reason, Instant until) implements WireEvent {
        @Override
        public String type() {
            return "kicked";
        }
    }

    /** {@code GET /api/rooms/{id}/participants} (an HTTP answer, not an event: no type). */
    public record Participants(Identity owner, List<Identity> participants) {
    }
}
