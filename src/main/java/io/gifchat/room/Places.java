package io.gifchat.room;

import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import io.gifchat.identity.Identity;
import reactor.core.publisher.Mono;

/**
 * Taking and releasing places in rooms: the room module's side of {@link Presence}. Entering is atomic per room
 * against the room's capacity, counted in places, and against the room's bans, so of 50 simultaneous joiners to a
 * room of 10 exactly 10 get in (on one node or spread over several), and nobody slips in between a kick's ban and
 * its removal. Knows since when a room has had nobody in it, for the janitor.
 */
interface Places extends Presence {

    enum Entry { ENTERED, ALREADY_PRESENT, FULL, BANNED }

    /** What a subscription to a room is once registered. */
    enum Arrival {
        /** The identity's first: its join is to be announced. */
        JOINED,
        /** Another tab, or the return within the leave-grace: nothing to announce. */
        ALREADY_JOINED,
        /** Its place went before the subscription was registered (a kick, the room deleted): end it. */
        NO_PLACE
    }

    /** What the end of one connection's subscription did to its identity's place. */
    enum Departure {
        /** Other connections of the identity remain (or it held no place). */
        STAYS,
        /** Its last connection left: it keeps its place, as no member, for the leave-grace. */
        LEAVING,
        /** Its last connection left and its place is released now: announce its exit. */
        LEFT,
        /** Released, and its join had never been announced: nothing to announce. */
        VANISHED
    }

    /** A place released once its leave-grace passed (or its node died): an exit to announce. */
    record Exit(String room, Identity who, Instant leftAt) {
    }

    /**
     * Takes a place for this connection of {@code identity}, unless it is banned ({@code banned}, and in a cluster
     * the bans every node set), or the room is full and it holds no place yet. Coming back within the leave-grace
     * keeps the place the identity held.
     */
    Mono<Entry> enter(String roomId, String connectionId, Identity identity, int max, Predicate<String> banned);

    /** The subscription of this connection was registered: once per stay, it is the identity's join. */
    Mono<Arrival> arrive(String roomId, String connectionId, String identityId);

    /**
     * This connection's subscription ended. When it was the identity's last, the identity keeps its place for the
     * leave-grace ({@code hold}) or loses it now.
     */
    Mono<Departure> leave(String roomId, String connectionId, String identityId, boolean hold);

    /**
     * Releases the places of identities that left at or before {@code deadline} and did not come back; their exits,
     * each handed to exactly one node.
     */
    Mono<List<Exit>> releaseLeftBefore(Instant deadline);

    /**
     * A kick: bans the identity until {@code until} and removes its place whatever its connections, a pending leave
     * with it, in one atomic step; {@code first} runs before the removal (this node's ban), only if it holds one.
     *
     * @return the identity removed; empty if it held no place
     */
    Mono<Identity> remove(String roomId, String identityId, Instant until, Runnable first);

    /** The member present longest through a connection: who takes a room over. */
    Mono<Identity> longestPresent(String roomId);

    /** Whether the room has no space for this identity (holding a place counts as having one). */
    Mono<Boolean> isFullFor(Room room, String identityId);

    /** A room nobody has entered yet (just created, or stored before a restart): empty from now on. */
    Mono<Void> track(String roomId);

    /** The rooms nobody has held a place in since before {@code deadline}. */
    Mono<List<String>> emptyBefore(Instant deadline);

    /** The room is gone: everything about it is forgotten. */
    Mono<Void> forget(String roomId);

    /** Forgets a room that is no longer stored, unless somebody holds a place in it after all. */
    Mono<Void> forgetEmpty(String roomId);

    /** The places of nodes that died, released (in a cluster); their exits to announce now. None on one node. */
    default Mono<List<Exit>> releaseDeadNodes() {
        return Mono.just(List.of());
    }

    /** After Redis lost this node's places or missed their changes, puts them right; exits to announce. */
    default Mono<List<Exit>> resync() {
        return Mono.just(List.of());
    }
}
