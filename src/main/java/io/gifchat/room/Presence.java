package io.gifchat.room;

import java.util.List;

import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import reactor.core.publisher.Mono;

/**
 * Who is in which room right now, as the modules built on rooms ask it. An identity holds a place in a room through
 * its connections (tabs), counted once; one whose last connection left keeps its place for
 * {@code gifchat.rooms.leave-grace} (a reload, a blip) but is no member meanwhile: it may not read the history,
 * send or see the participants. On one node the answers come from memory ({@link NodePresence}); in a cluster from
 * Redis ({@link SharedPresence}), the same for every node.
 */
public interface Presence {

    /** Everyone holding a place, longest present first: those in their leave-grace too (nothing was announced). */
    Mono<List<Identity>> members(String roomId);

    /** Whether the identity is in the room through a connection now (not merely holding its place). */
    Mono<Boolean> isPresent(String roomId, String identityId);

    /** The member with this id, if present through a connection; empty otherwise. */
    Mono<Identity> member(String roomId, String identityId);

    /** Places taken, those in their leave-grace included. */
    Mono<Integer> count(String roomId);

    /**
     * The one membership check: reading a room's history or participants, sending, whispering, typing and posting
     * GIFs are for identities present in the room through a connection; an identity in its leave-grace is none.
     *
     * @return empty, or a {@link Refusal} when the identity is not in the room
     */
    default Mono<Void> requireMember(String roomId, String identityId) {
        return isPresent(roomId, identityId).flatMap(present -> present ? Mono.<Void>empty()
                : Mono.error(Refusal.of(Refusal.Reason.NOT_ALLOWED, "You are not in this room.")));
    }
}
