package io.gifchat.room;

import io.gifchat.domain.Announcement;
import io.gifchat.identity.Identity;

/**
 * What happens in rooms, announced as application events for the modules built on rooms (system lines in the chat,
 * the lobby, stored data to remove). Listeners' follow-up work is part of the operation that caused the event:
 * every listener's work runs, then a failure fails the operation (deleting a room whose lines could not be deleted
 * answers with an error rather than quietly leaving them behind).
 */
public final class RoomEvents {

    private RoomEvents() {
    }

    /** Base of the room events: which room, as it is after the change. */
    public abstract static class RoomEvent extends Announcement {
        private final Room room;

        RoomEvent(Room room) {
            this.room = room;
        }

        public Room room() {
            return room;
        }

        @Override
        public String toString() {
            return getClass().getSimpleName() + "[" + room.id() + "]";
        }
    }

    /** A new room; its creator owns it and has not entered yet. */
    public static final class Created extends RoomEvent {
        Created(Room room) {
            super(room);
        }
    }

    /** Base of the events about one member of the room. */
    public abstract static class MemberEvent extends RoomEvent {
        private final Identity who;

        MemberEvent(Room room, Identity who) {
            super(room);
            this.who = who;
        }

        public Identity who() {
            return who;
        }
    }

    /** An identity's first subscription to the room: it entered (several tabs count once). */
    public static final class Joined extends MemberEvent {
        Joined(Room room, Identity who) {
            super(room, who);
        }
    }

    /**
     * An identity's last subscription to the room ended and it did not come back within the leave-grace; not
     * announced for a kick, which is {@link Kicked}.
     */
    public static final class Left extends MemberEvent {
        Left(Room room, Identity who) {
            super(room, who);
        }
    }

    /**
     * The room has a new owner ({@link Room#owner()}): the member present longest once the owner's grace passed,
     * the first to enter a room left without one, or the creator back. {@code previous} had it before.
     */
    public static final class OwnerChanged extends RoomEvent {
        private final Identity previous;

        OwnerChanged(Room room, Identity previous) {
            super(room);
            this.previous = previous;
        }

        public Identity previous() {
            return previous;
        }
    }

    /** The owner removed {@code who}, who is banned for a while. */
    public static final class Kicked extends MemberEvent {
        Kicked(Room room, Identity who) {
            super(room, who);
        }
    }

    /** The room is gone: remove what belongs to it (lines, GIFs) and stop writing to it. */
    public static final class Deleted extends RoomEvent {
        Deleted(Room room) {
            super(room);
        }
    }

    /**
     * In a cluster, on every node but the one that deleted the room (which announces {@link Deleted}, and did the
     * once-only work: the store, the lobby, the room told): drop what this node keeps of the room and stop writing
     * to it. The room is gone from the store already, so only its id is known.
     */
    public static final class DeletedElsewhere extends Announcement {
        private final String roomId;

        DeletedElsewhere(String roomId) {
            this.roomId = roomId;
        }

        public String roomId() {
            return roomId;
        }

        @Override
        public String toString() {
            return "DeletedElsewhere[" + roomId + "]";
        }
    }
}
