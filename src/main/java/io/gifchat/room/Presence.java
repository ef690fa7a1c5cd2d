package io.gifchat.room;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;

import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import org.springframework.stereotype.Component;

/**
 * Who holds a place in which room right now: identities in the order they entered, each with the connections (tabs)
 * it is present through. Entering is atomic per room against the room's capacity, counted in places, and against
 * the room's bans, so of 50 simultaneous joiners to a room of 10 exactly 10 get in, and nobody slips in between a
 * kick's ban and its removal. Each room has its own monitor; rooms never contend.
 * <p>
 * An identity whose last connection left keeps its place for {@code gifchat.rooms.leave-grace} (a reload, a network
 * blip): it still counts against the capacity and still shows in the participant list, but it is no member — it
 * may not read the history, send or see the participants — and if it comes back meanwhile nothing was announced
 * either way. {@link #releaseLeftBefore} ends the places whose grace passed. Also knows since when a room has had
 * nobody in it, for the janitor.
 * <p>
 * In memory: presence is about live connections, which do not survive a restart either.
 */
@Component
public class Presence {

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

    /** A place released once its leave-grace passed: an exit to announce. */
    record Exit(String room, Identity who, Instant leftAt) {
    }

    private static final class Place {
        final Identity identity;
        final Set<String> connections = new HashSet<>();
        boolean announced; // its join was announced, so its exit will be
        Instant leftAt; // when its last connection left; null while it has one

        Place(Identity identity) {
            this.identity = identity;
        }
    }

    private static final class Occupancy {
        final Map<String, Place> places = new LinkedHashMap<>();
        Instant emptySince; // when its last place was released, or it became known; null while anybody holds one
        int leaving; // places in their leave-grace, so the janitor looks only where there is any

        Occupancy(Instant emptySince) {
            this.emptySince = emptySince;
        }
    }

    private final ConcurrentHashMap<String, Occupancy> rooms = new ConcurrentHashMap<>();
    private final Clock clock;

    Presence(Clock clock) {
        this.clock = clock;
    }

    /**
     * Takes a place for this connection of {@code identity}, unless it is banned, or the room is full and it holds
     * no place yet. Coming back within the leave-grace keeps the place the identity held.
     */
    Entry enter(String roomId, String connectionId, Identity identity, int max, Predicate<String> banned) {
        Occupancy room = rooms.computeIfAbsent(roomId, id -> new Occupancy(clock.instant()));
        synchronized (room) {
            if (banned.test(identity.id())) {
                return Entry.BANNED;
            }
            Place place = room.places.get(identity.id());
            if (place != null) {
                if (place.leftAt != null) {
                    place.leftAt = null;
                    room.leaving--;
                }
                place.connections.add(connectionId);
                return Entry.ALREADY_PRESENT;
            }
            if (room.places.size() >= max) {
                return Entry.FULL;
            }
            place = new Place(identity);
            place.connections.add(connectionId);
            room.places.put(identity.id(), place);
            room.emptySince = null;
            return Entry.ENTERED;
        }
    }

    /** The subscription of this connection was registered: once per stay, it is the identity's join. */
    Arrival arrive(String roomId, String connectionId, String identityId) {
        return inRoom(roomId, Arrival.NO_PLACE, room -> {
            Place place = room.places.get(identityId);
            if (place == null || !place.connections.contains(connectionId)) {
                return Arrival.NO_PLACE;
            }
            if (place.announced) {
                return Arrival.ALREADY_JOINED;
            }
            place.announced = true;
            return Arrival.JOINED;
        });
    }

    /**
     * This connection's subscription ended. When it was the identity's last, the identity keeps its place for the
     * leave-grace ({@code hold}) or loses it now.
     */
    Departure leave(String roomId, String connectionId, String identityId, boolean hold) {
        return inRoom(roomId, Departure.STAYS, room -> {
            Place place = room.places.get(identityId);
            if (place == null || !place.connections.remove(connectionId) || !place.connections.isEmpty()) {
                return Departure.STAYS;
            }
            if (hold && place.announced) {
                place.leftAt = clock.instant();
                room.leaving++;
                return Departure.LEAVING;
            }
            release(room, identityId);
            return place.announced ? Departure.LEFT : Departure.VANISHED;
        });
    }

    /** Releases the places of identities that left at or before {@code deadline} and did not come back; their exits. */
    List<Exit> releaseLeftBefore(Instant deadline) {
        List<Exit> exits = new ArrayList<>();
        rooms.forEach((roomId, room) -> {
            synchronized (room) {
                if (room.leaving == 0) {
                    return;
                }
                for (Iterator<Place> it = room.places.values().iterator(); it.hasNext(); ) {
                    Place place = it.next();
                    if (place.leftAt != null && !place.leftAt.isAfter(deadline)) {
                        it.remove();
                        room.leaving--;
                        exits.add(new Exit(roomId, place.identity, place.leftAt));
                    }
                }
                if (room.places.isEmpty()) {
                    room.emptySince = clock.instant();
                }
            }
        });
        return exits;
    }

    /**
     * Removes an identity's place whatever its connections, and a pending leave with it (a kick). {@code first}
     * runs under the room's monitor before the removal, only if the identity holds a place: a ban set there is
     * seen by every entrance after the removal.
     *
     * @return the identity removed, if it held a place
     */
    Optional<Identity> remove(String roomId, String identityId, Runnable first) {
        return inRoom(roomId, Optional.empty(), room -> {
            if (!room.places.containsKey(identityId)) {
                return Optional.empty();
            }
            first.run();
            Place place = release(room, identityId);
            return Optional.of(place.identity);
        });
    }

    /** Everyone holding a place, longest present first: those in their leave-grace too (nothing was announced). */
    public List<Identity> members(String roomId) {
        return inRoom(roomId, List.of(), room -> {
            List<Identity> identities = new ArrayList<>(room.places.size());
            room.places.values().forEach(place -> identities.add(place.identity));
            return identities;
        });
    }

    /** Whether the identity is in the room through a connection now (not merely holding its place). */
    public boolean isPresent(String roomId, String identityId) {
        return inRoom(roomId, false, room -> isConnected(room.places.get(identityId)));
    }

    /**
     * The one membership check: reading a room's history or participants, sending, whispering, typing and posting
     * GIFs are for identities present in the room through a connection; an identity in its leave-grace is none.
     *
     * @throws Refusal when the identity is not in the room
     */
    public void requireMember(String roomId, String identityId) {
        if (!isPresent(roomId, identityId)) {
            throw Refusal.of(Refusal.Reason.NOT_ALLOWED, "You are not in this room.");
        }
    }

    /** The member with this id, if present through a connection. */
    public Optional<Identity> member(String roomId, String identityId) {
        return inRoom(roomId, Optional.empty(), room -> {
            Place place = room.places.get(identityId);
            return isConnected(place) ? Optional.of(place.identity) : Optional.empty();
        });
    }

    /** The member present longest through a connection: who takes a room over. */
    Optional<Identity> longestPresent(String roomId) {
        return inRoom(roomId, Optional.empty(), room -> room.places.values().stream()
                .filter(Presence::isConnected).map(place -> place.identity).findFirst());
    }

    /** Whether the room has no space for this identity (holding a place counts as having one). */
    boolean isFullFor(Room room, String identityId) {
        return inRoom(room.id(), false, r -> r.places.size() >= room.max() && !r.places.containsKey(identityId));
    }

    /** Places taken, those in their leave-grace included. */
    public int count(String roomId) {
        return inRoom(roomId, 0, room -> room.places.size());
    }

    /** A room nobody has entered yet (just created, or stored before a restart): empty from now on. */
    void track(String roomId) {
        rooms.computeIfAbsent(roomId, id -> new Occupancy(clock.instant()));
    }

    /** The rooms nobody has held a place in since before {@code deadline}. */
    List<String> emptyBefore(Instant deadline) {
        List<String> empty = new ArrayList<>();
        rooms.forEach((roomId, room) -> {
            synchronized (room) {
                if (room.places.isEmpty() && room.emptySince != null && room.emptySince.isBefore(deadline)) {
                    empty.add(roomId);
                }
            }
        });
        return empty;
    }

    void forget(String roomId) {
        rooms.remove(roomId);
    }

    /** Forgets a room that is no longer stored, unless somebody holds a place in it after all. */
    void forgetEmpty(String roomId) {
        rooms.computeIfPresent(roomId, (id, room) -> {
            synchronized (room) {
                return room.places.isEmpty() ? null : room;
            }
        });
    }

    private Place release(Occupancy room, String identityId) {
        Place place = room.places.remove(identityId);
        if (place.leftAt != null) {
            room.leaving--;
        }
        if (room.places.isEmpty()) {
            room.emptySince = clock.instant();
        }
        return place;
    }

    private static boolean isConnected(Place place) {
        return place != null && !place.connections.isEmpty();
    }

    /** Reads or changes one room under its own monitor; {@code absent} when nobody was ever in it. */
    private <T> T inRoom(String roomId, T absent, Function<Occupancy, T> action) {
        Occupancy room = rooms.get(roomId);
        if (room == null) {
            return absent;
        }
        synchronized (room) {
            return action.apply(room);
        }
    }
}
