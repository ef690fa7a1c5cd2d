package io.gifchat.room;

import java.time.Instant;

import io.gifchat.identity.Identity;

/**
 * A room as everyone may see it: never the password or its hash, only whether there is one. Used by the lobby
 * events, the JSON API and the pages.
 */
public record RoomView(String id, String title, boolean locked, int participants, int max, Identity owner,
                       Instant createdAt) {

    static RoomView of(Room room, int participants) {
        return new RoomView(room.id(), room.title(), room.locked(), participants, room.max(), room.owner(),
                room.createdAt());
    }
}
