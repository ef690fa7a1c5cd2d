package io.gifchat.room;

/** Whether an identity may open a room's page now, and if not, why. */
public sealed interface Entrance {

    record Open(RoomView room) implements Entrance {
    }

    record NotFound() implements Entrance {
    }

    record Removed(RoomView room) implements Entrance {
    }

    record PasswordRequired(RoomView room) implements Entrance {
    }

    record Full(RoomView room) implements Entrance {
    }
}
