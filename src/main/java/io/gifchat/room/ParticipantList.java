package io.gifchat.room;

import io.gifchat.messaging.Wire;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The participant list, sent to the room after every change of who is in it or who owns it. */
@Component
class ParticipantList {

    private final Presence presence;
    private final Wire wire;

    ParticipantList(Presence presence, Wire wire) {
        this.presence = presence;
        this.wire = wire;
    }

    Mono<RoomWire.Participants> of(Room room) {
        return presence.members(room.id()).map(members -> new RoomWire.Participants(room.owner(), members));
    }

    Mono<Void> publish(Room room) {
        return presence.members(room.id()).doOnNext(members -> wire.publish(RoomTopics.room(room.id()),
                new RoomWire.PresenceUpdate(room.id(), room.owner(), members))).then();
    }
}
