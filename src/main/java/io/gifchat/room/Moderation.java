package io.gifchat.room;

import java.time.Instant;

import io.gifchat.domain.Announcer;
import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import io.gifchat.messaging.Subscriptions;
import io.gifchat.messaging.Wire;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The owner removing a participant, who is out at once and cannot come back for {@code gifchat.rooms.kick-ban}. */
@Component
class Moderation {

    static final String NOTICE_QUEUE = "/queue/notice";

    private final Presence presence;
    private final Bans bans;
    private final Admissions admissions;
    private final Subscriptions subscriptions;
    private final Wire wire;
    private final Announcer announcer;
    private final ParticipantList participants;
    private final RoomProperties properties;
    private final RoomJanitor janitor;

    Moderation(Presence presence, Bans bans, Admissions admissions, Subscriptions subscriptions, Wire wire,
               Announcer announcer, ParticipantList participants, RoomProperties properties, RoomJanitor janitor) {
        this.admissions = admissions;
        this.janitor = janitor;
        this.presence = presence;
        this.bans = bans;
        this.subscriptions = subscriptions;
        this.wire = wire;
        this.announcer = announcer;
        this.participants = participants;
        this.properties = properties;
    }

    /** Only the owner may kick, and not themselves; the target must be present. */
    Mono<Void> kick(Room room, Identity by, String identityId) {
        if (!room.isOwnedBy(by.id())) {
            return Mono.error(Refusal.of(Refusal.Reason.NOT_ALLOWED, "Only the owner can remove participants."));
        }
        if (identityId.equals(by.id())) {
            return Mono.error(Refusal.of(Refusal.Reason.INVALID, "The owner cannot remove themselves."));
        }
        Identity target = presence.member(room.id(), identityId).orElse(null);
        if (target == null) {
            return Mono.error(Refusal.of(Refusal.Reason.NOT_FOUND, "That participant is not in the room."));
        }
        Instant until = bans.ban(room.id(), identityId, properties.kickBan());
        presence.remove(room.id(), identityId);
        if (presence.count(room.id()) == 0) {
            janitor.emptied(room.id()); // an owner who is not in the room kicked the last one
        }
        RoomWire.Kicked notice = new RoomWire.Kicked(room.id(), room.title(), "The owner removed you from this room.", until);
        return subscriptions.endFor(identityId, RoomTopics.isRoomDestination(room.id()))
                .then(admissions.revoke(room.id(), identityId))
                .then(Mono.fromRunnable(() -> wire.sendToUser(identityId, NOTICE_QUEUE, notice)))
                .then(announcer.announce(() -> new RoomEvents.Kicked(room, target)))
                .then(participants.publish(room));
    }
}
