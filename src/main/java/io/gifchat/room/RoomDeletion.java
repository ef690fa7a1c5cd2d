package io.gifchat.room;

import io.gifchat.domain.Announcer;
import io.gifchat.messaging.Subscriptions;
import io.gifchat.messaging.Wire;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Deleting a room (empty for the grace period, by its owner, or by the administrator): nobody can enter or send
 * any more, members are told and their subscriptions end, the room and its admissions, bans, password tries and typing throttles go, and
 * {@link RoomEvents.Deleted} lets the modules above remove the rest (lines, GIFs).
 */
@Component
public class RoomDeletion {

    private final Rooms rooms;
    private final Presence presence;
    private final Admissions admissions;
    private final Bans bans;
    private final PasswordAttempts attempts;
    private final TypingSignals typing;
    private final Subscriptions subscriptions;
    private final Wire wire;
    private final Announcer announcer;

    RoomDeletion(Rooms rooms, Presence presence, Admissions admissions, Bans bans, PasswordAttempts attempts,
                 TypingSignals typing, Subscriptions subscriptions, Wire wire, Announcer announcer) {
        this.rooms = rooms;
        this.presence = presence;
        this.admissions = admissions;
        this.bans = bans;
        this.attempts = attempts;
        this.typing = typing;
        this.subscriptions = subscriptions;
        this.wire = wire;
        this.announcer = announcer;
    }

    public Mono<Void> delete(Room room) {
        String id = room.id();
        return Mono.fromRunnable(() -> {
                    presence.forget(id); // from here on membership checks refuse: nothing new is sent to the room
                    wire.publish(RoomTopics.room(id), new RoomWire.RoomDeleted(id));
                })
                .then(subscriptions.endAll(RoomTopics.room(id)))
                .then(subscriptions.endAll(RoomTopics.typing(id)))
                .then(rooms.delete(id))
                .then(admissions.forget(id))
                .then(bans.forget(id))
                .then(Mono.fromRunnable(() -> {
                    attempts.forget(id);
                    typing.forget(id);
                }))
                .then(announcer.announce(() -> new RoomEvents.Deleted(room)));
    }
}
