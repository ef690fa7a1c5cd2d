package io.gifchat.room;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.gifchat.domain.Announcer;
import io.gifchat.identity.Identity;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Who owns a room as people come and go. The creator owns it, and owns it again whenever it comes back, even after
 * the room was handed over. An owner who leaves has {@code gifchat.rooms.owner-grace} to come back: meanwhile it
 * still owns the room, so nobody else can kick or delete as owner (a reload or a network blip hands nothing over);
 * then the member present longest takes over ({@link #handOverDue}, on the janitor's tick). If nobody is there
 * then, the first one to enter takes it over — unless that is the owner. Announces every join, exit and change of
 * owner, then sends the room its participant list.
 */
@Component
class Ownership {

    /** An owner that left: until when it may come back before its room is handed over. */
    record Away(String owner, Instant until) {
    }

    private final Rooms rooms;
    private final Places presence;
    private final Announcer announcer;
    private final ParticipantList participants;
    private final RoomProperties properties;
    private final Clock clock;
    /** Rooms whose owner left, by room id. */
    private final Map<String, Away> away = new ConcurrentHashMap<>();
    /** Rooms whose owner's grace ended with nobody there: the next one to enter takes the room over. */
    private final Set<String> vacant = ConcurrentHashMap.newKeySet();

    Ownership(Rooms rooms, Places presence, Announcer announcer, ParticipantList participants,
              RoomProperties properties, Clock clock) {
        this.rooms = rooms;
        this.presence = presence;
        this.announcer = announcer;
        this.participants = participants;
        this.properties = properties;
        this.clock = clock;
    }

    /** The first subscription of an identity to a room. */
    Mono<Void> joined(String roomId, Identity who) {
        return rooms.find(roomId).flatMap(room -> {
            boolean owner = room.isOwnedBy(who.id());
            boolean wasVacant = vacant.remove(roomId); // whoever enters first settles it
            boolean reclaims = !owner && room.isCreatedBy(who.id());
            if (owner || reclaims) {
                away.remove(roomId); // the owner is back, or the creator takes the room from an absent owner
            }
            if (!reclaims && (owner || !wasVacant)) {
                return announceJoin(room, who);
            }
            return rooms.changeOwner(room, who).map(Optional::of).defaultIfEmpty(Optional.empty())
                    .flatMap(changed -> changed
                            .map(next -> announcer.announce(() -> new RoomEvents.Joined(next, who))
                                    .then(announcer.announce(() -> new RoomEvents.OwnerChanged(next, room.owner())))
                                    .then(participants.publish(next)))
                            // the owner changed meanwhile (a hand-over on the janitor's tick): just the join
                            .orElseGet(() -> rooms.find(roomId).flatMap(current -> announceJoin(current, who))));
        });
    }

    /** The identity's place was released: its exit is announced, and an owner's grace starts from when it left. */
    Mono<Void> left(String roomId, Identity who, Instant leftAt) {
        return rooms.find(roomId).flatMap(room -> {
            Mono<Void> exit = announcer.announce(() -> new RoomEvents.Left(room, who)).then(participants.publish(room));
            if (!room.isOwnedBy(who.id())) {
                return exit;
            }
            Instant until = leftAt.plus(properties.ownerGrace());
            if (until.isAfter(clock.instant())) {
                away.put(roomId, new Away(who.id(), until));
                return exit;
            }
            return exit.then(handOver(room));
        });
    }

    /** Rooms whose owner did not come back within the grace go to the member present longest. */
    Mono<Void> handOverDue() {
        return Flux.defer(() -> {
                    Instant now = clock.instant();
                    return Flux.fromIterable(List.copyOf(away.entrySet()))
                            .filter(e -> !e.getValue().until().isAfter(now) && away.remove(e.getKey(), e.getValue()));
                })
                .concatMapDelayError(due -> rooms.find(due.getKey())
                        .filter(room -> room.isOwnedBy(due.getValue().owner()))
                        .filterWhen(room -> presence.isPresent(room.id(), due.getValue().owner()).map(present -> !present))
                        .flatMap(this::handOver)
                        .onErrorResume(e -> {
                            away.putIfAbsent(due.getKey(), due.getValue()); // the next tick tries again
                            return Mono.error(e);
                        }))
                .then();
    }

    private Mono<Void> handOver(Room room) {
        return presence.longestPresent(room.id())
                .flatMap(next -> rooms.changeOwner(room, next)
                        .flatMap(changed -> announcer.announce(() -> new RoomEvents.OwnerChanged(changed, room.owner()))
                                .then(participants.publish(changed))))
                .switchIfEmpty(presence.count(room.id()).doOnNext(count -> {
                    if (count > 0) {
                        // Only people in their leave-grace: by the next tick they are back, or gone and the room is empty.
                        away.putIfAbsent(room.id(), new Away(room.owner().id(), clock.instant()));
                    } else {
                        vacant.add(room.id());
                    }
                }).then());
    }

    private Mono<Void> announceJoin(Room room, Identity who) {
        return announcer.announce(() -> new RoomEvents.Joined(room, who)).then(participants.publish(room));
    }

    @EventListener
    void on(RoomEvents.Deleted event) {
        forget(event.room().id());
    }

    @EventListener
    void on(RoomEvents.DeletedElsewhere event) {
        forget(event.roomId());
    }

    private void forget(String roomId) {
        away.remove(roomId);
        vacant.remove(roomId);
    }
}
