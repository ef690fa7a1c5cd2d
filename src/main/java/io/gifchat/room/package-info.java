/**
 * Rooms: the Room document, the live lobby, creating and entering rooms (password, bans, capacity), presence,
 * owner handoff, kicks and deletion, the rooms JSON API. Implements the STOMP destination policies of the lobby and
 * of each room, listens to messaging's connection events, and announces what happens in rooms
 * ({@link io.gifchat.room.RoomEvents}) for the chat and GIF modules above it.
 */
@ApplicationModule(displayName = "Rooms",
        allowedDependencies = {"messaging", "broker", "cluster", "identity", "limits", "domain"})
package io.gifchat.room;

import org.springframework.modulith.ApplicationModule;
