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

import io.gifchat.identity.Identity;
import reactor.core.publisher.Mono;

/**
 * {@link Presence} on one node, in its memory: identities in the order they entered, each with the connections
 * (tabs) it is present through. Each room has its own monitor; rooms never contend. Every answer is ready at once
 * (the Monos only carry it).
 * <p>
 * In memory: presence is about live connections, which do not survive a restart either.
 */
final class NodePresence implements Places {

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

    NodePresence(Clock clock) {
        this.clock = clock;
    }

    /**
     * Takes a place for this connection of {@code identity}, unless it is banned, or the room is full and it holds
     * no place yet. Coming back within the leave-grace keeps the place the identity held.
     */
    private Entry enterNow(String roomId, String connectionId, Identity identity, int max, Predicate<String> banned) {
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
    private Arrival arriveNow(String roomId, String connectionId, String identityId) {
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
    private Departure leaveNow(String roomId, String connectionId, String identityId, boolean hold) {
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
    private List<Exit> releaseNow(Instant deadline) {
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
    private Optional<Identity> removeNow(String roomId, String identityId, Runnable first) {
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
    private List<Identity> membersNow(String roomId) {
        return inRoom(roomId, List.of(), room -> {
            List<Identity> identities = new ArrayList<>(room.places.size());
            room.places.values().forEach(place -> identities.add(place.identity));
            return identities;
        });
    }

    /** Whether the identity is in the room through a connection now (not merely holding its place). */
    private boolean isPresentNow(String roomId, String identityId) {
        return inRoom(roomId, false, room -> isConnected(room.places.get(identityId)));
    }

    /** The member with this id, if present through a connection. */
    private Optional<Identity> memberNow(String roomId, String identityId) {
        return inRoom(roomId, Optional.empty(), room -> {
            Place place = room.places.get(identityId);
            return isConnected(place) ? Optional.of(place.identity) : Optional.<Identity>empty();
        });
    }

    /** The member present longest through a connection: who takes a room over. */
    private Optional<Identity> longestPresentNow(String roomId) {
        return inRoom(roomId, Optional.empty(), room -> room.places.values().stream()
                .filter(NodePresence::isConnected).map(place -> place.identity).findFirst());
    }

    /** Whether the room has no space for this identity (holding a place counts as having one). */
    private boolean isFullForNow(Room room, String identityId) {
        return inRoom(room.id(), false, r -> r.places.size() >= room.max() && !r.places.containsKey(identityId));
    }

    /** Places taken, those in their leave-grace included. */
    private int countNow(String roomId) {
        return inRoom(roomId, 0, room -> room.places.size());
    }

    /** A room nobody has entered yet (just created, or stored before a restart): empty from now on. */
    private void trackNow(String roomId) {
        rooms.computeIfAbsent(roomId, id -> new Occupancy(clock.instant()));
    }

    /** The rooms nobody has held a place in since before {@code deadline}. */
    private List<String> emptyBeforeNow(Instant deadline) {
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

    private void forgetNow(String roomId) {
        rooms.remove(roomId);
    }

    /** Forgets a room that is no longer stored, unless somebody holds a place in it after all. */
    private void forgetEmptyNow(String roomId) {
        rooms.computeIfPresent(roomId, (id, room) -> {
            synchronized (room) {
                return room.places.isEmpty() ? null : room;
            }
        });
    }

    @Override
    public Mono<Entry> enter(String roomId, String connectionId, Identity identity, int max, Predicate<String> banned) {
        return Mono.fromSupplier(() -> enterNow(roomId, connectionId, identity, max, banned));
    }

    @Override
    public Mono<Arrival> arrive(String roomId, String connectionId, String identityId) {
        return Mono.fromSupplier(() -> arriveNow(roomId, connectionId, identityId));
    }

    @Override
    public Mono<Departure> leave(String roomId, String connectionId, String identityId, boolean hold) {
        return Mono.fromSupplier(() -> leaveNow(roomId, connectionId, identityId, hold));
    }

    @Override
    public Mono<List<Exit>> releaseLeftBefore(Instant deadline) {
        return Mono.fromSupplier(() -> releaseNow(deadline));
    }

    /** {@code until} is for a cluster's shared bans: here {@code first} sets the ban, under the room's monitor. */
    @Override
    public Mono<Identity> remove(String roomId, String identityId, Instant until, Runnable first) {
        return Mono.fromSupplier(() -> removeNow(roomId, identityId, first)).flatMap(Mono::justOrEmpty);
    }

    @Override
    public Mono<List<Identity>> members(String roomId) {
        return Mono.fromSupplier(() -> membersNow(roomId));
    }

    @Override
    public Mono<Boolean> isPresent(String roomId, String identityId) {
        return Mono.fromSupplier(() -> isPresentNow(roomId, identityId));
    }

    @Override
    public Mono<Identity> member(String roomId, String identityId) {
        return Mono.fromSupplier(() -> memberNow(roomId, identityId)).flatMap(Mono::justOrEmpty);
    }

    @Override
    public Mono<Identity> longestPresent(String roomId) {
        return Mono.fromSupplier(() -> longestPresentNow(roomId)).flatMap(Mono::justOrEmpty);
    }

    @Override
    public Mono<Boolean> isFullFor(Room room, String identityId) {
        return Mono.fromSupplier(() -> isFullForNow(room, identityId));
    }

    @Override
    public Mono<Integer> count(String roomId) {
        return Mono.fromSupplier(() -> countNow(roomId));
    }

    @Override
    public Mono<Void> track(String roomId) {
        return Mono.fromRunnable(() -> trackNow(roomId));
    }

    @Override
    public Mono<List<String>> emptyBefore(Instant deadline) {
        return Mono.fromSupplier(() -> emptyBeforeNow(deadline));
    }

    @Override
    public Mono<Void> forget(String roomId) {
        return Mono.fromRunnable(() -> forgetNow(roomId));
    }

    @Override
    public Mono<Void> forgetEmpty(String roomId) {
        return Mono.fromRunnable(() -> forgetEmptyNow(roomId));
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
