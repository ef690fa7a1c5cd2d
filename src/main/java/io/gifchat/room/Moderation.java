package io.gifchat.room;

import java.time.Clock;
import java.time.Instant;

import io.gifchat.domain.Announcer;
import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import io.gifchat.messaging.Subscriptions;
import io.gifchat.messaging.Wire;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The owner removing a participant, who is out at once and cannot come back for {@code gifchat.rooms.kick-ban}: the
 * ban is set in memory under the room's entrance monitor before the place goes (so no SUBSCRIBE slips in between),
 * the participant's room subscriptions end (on every node, the ban known there first), then the ban is stored (it
 * survives a restart) and the admission revoked. A participant in its leave-grace can be kicked too: its pending
 * exit ends with the kick.
 */
@Component
class Moderation {

    static final String NOTICE_QUEUE = "/queue/notice";

    private final Places presence;
    private final Bans bans;
    private final Admissions admissions;
    private final Subscriptions subscriptions;
    private final Wire wire;
    private final Announcer announcer;
    private final ParticipantList participants;
    private final RoomProperties properties;
    private final Clock clock;

    Moderation(Places presence, Bans bans, Admissions admissions, Subscriptions subscriptions, Wire wire,
               Announcer announcer, ParticipantList participants, RoomProperties properties, Clock clock) {
        this.admissions = admissions;
        this.presence = presence;
        this.bans = bans;
        this.subscriptions = subscriptions;
        this.wire = wire;
        this.announcer = announcer;
        this.participants = participants;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Only the owner may kick, and neither themselves nor the creator (who owns the room whenever present, so
     * could otherwise be kicked while coming back); the target must hold a place.
     */
    Mono<Void> kick(Room room, Identity by, String identityId) {
        if (!room.isOwnedBy(by.id())) {
            return Mono.error(Refusal.of(Refusal.Reason.NOT_ALLOWED, "Only the owner can remove participants."));
        }
        if (identityId.equals(by.id())) {
            return Mono.error(Refusal.of(Refusal.Reason.INVALID, "The owner cannot remove themselves."));
        }
        if (room.isCreatedBy(identityId)) {
            return Mono.error(Refusal.of(Refusal.Reason.NOT_ALLOWED, "The room's creator cannot be removed."));
        }
        return bans.of(room.id()).flatMap(roomBans -> {
            Instant until = clock.instant().plus(properties.kickBan());
            RoomWire.Kicked notice = new RoomWire.Kicked(room.id(), room.title(), "The owner removed you from this room.", until);
            return presence.remove(room.id(), identityId, until, () -> roomBans.ban(identityId, until))
                    .switchIfEmpty(Mono.error(() -> Refusal.of(Refusal.Reason.NOT_FOUND, "That participant is not in the room.")))
                    // the other nodes know the ban before their subscriptions end
                    .doOnNext(target -> bans.spread(room.id(), identityId, until))
                    .flatMap(target -> subscriptions.endFor(identityId, RoomTopics.room(room.id()), RoomTopics.typing(room.id()))
                            .then(Mono.whenDelayError(bans.store(room.id(), identityId, until),
                                    admissions.revoke(room.id(), identityId)))
                            .then(Mono.fromRunnable(() -> wire.sendToUser(identityId, NOTICE_QUEUE, notice)))
                            .then(announcer.announce(() -> new RoomEvents.Kicked(room, target)))
                            .then(participants.publish(room)));
        });
    }
}
