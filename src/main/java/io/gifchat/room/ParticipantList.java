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

    RoomWire.Participants of(Room room) {
        return new RoomWire.Participants(room.owner(), presence.members(room.id()));
    }

    Mono<Void> publish(Room room) {
        return Mono.fromRunnable(() -> wire.publish(RoomTopics.room(room.id()),
                new RoomWire.PresenceUpdate(room.id(), room.owner(), presence.members(room.id()))));
    }
}
