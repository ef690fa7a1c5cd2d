package io.gifchat.room;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.gifchat.domain.Announcer;
import io.gifchat.identity.Identity;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Who owns a room as people come and go. The creator owns it; when the owner leaves, the member present longest
 * takes over. If the owner left an empty room, the first one back takes it over — unless that is the owner.
 * Announces every join, exit and change of owner, then sends the room its participant list.
 */
@Component
class Ownership {

    private final Rooms rooms;
    private final Announcer announcer;
    private final ParticipantList participants;
    /** Rooms whose owner left when nobody else was there: the next one to enter takes the room over. */
    private final Set<String> ownerLeft = ConcurrentHashMap.newKeySet();

    Ownership(Rooms rooms, Announcer announcer, ParticipantList participants) {
        this.rooms = rooms;
        this.announcer = announcer;
        this.participants = participants;
    }

    /** The first subscription of an identity to a room. */
    Mono<Void> joined(String roomId, Identity who) {
        return rooms.find(roomId).flatMap(room -> {
            boolean takeOver = ownerLeft.remove(roomId) && !room.isOwnedBy(who.id());
            Mono<Room> current = takeOver ? rooms.save(room.withOwner(who)) : Mono.just(room);
            return current.flatMap(r -> announcer.announce(() -> new RoomEvents.Joined(r, who))
                    .then(takeOver ? announcer.announce(() -> new RoomEvents.OwnerChanged(r, room.owner())) : Mono.empty())
                    .then(participants.publish(r)));
        });
    }

    /** The last tab of an identity left: hand the room over if it was the owner's, and announce the exit. */
    Mono<Void> left(String roomId, Identity who, List<Identity> remaining) {
        return rooms.find(roomId).flatMap(room -> {
            boolean ownerLeaves = room.isOwnedBy(who.id());
            if (ownerLeaves && remaining.isEmpty()) {
                ownerLeft.add(roomId);
            }
            Mono<Void> exit = announcer.announce(() -> new RoomEvents.Left(room, who));
            if (!ownerLeaves || remaining.isEmpty()) {
                return exit.then(participants.publish(room));
            }
            return exit.then(rooms.save(room.withOwner(remaining.get(0))))
                    .flatMap(next -> announcer.announce(() -> new RoomEvents.OwnerChanged(next, who))
                            .then(participants.publish(next)));
        });
    }

    @EventListener
    void on(RoomEvents.Deleted event) {
        ownerLeft.remove(event.room().id());
    }
}
