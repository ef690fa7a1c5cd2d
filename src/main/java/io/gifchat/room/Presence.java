package io.gifchat.room;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import org.springframework.stereotype.Component;

/**
 * Who is in which room right now: identities in the order they entered, each with the connections (tabs) it is
 * present through. Entering is atomic per room against the room's capacity, counted in distinct identities, so of
 * 50 simultaneous joiners to a room of 10 exactly 10 get in. Each room has its own monitor; rooms never contend.
 * In memory: presence is about live connections, which do not survive a restart either.
 */
@Component
public class Presence {

    enum Entry { ENTERED, ALREADY_PRESENT, FULL }

    /** An identity's stay in a room. */
    record Member(Identity identity, Set<String> connections) {
    }

    /** What a departure changed: whether the identity is gone from the room (its last tab), and who remains. */
    record Departure(boolean left, List<Identity> remaining) {
    }

    private static final class Occupancy {
        final Map<String, Member> members = new LinkedHashMap<>();
        final Set<String> announced = new HashSet<>();
    }

    private final ConcurrentHashMap<String, Occupancy> rooms = new ConcurrentHashMap<>();

    Entry enter(String roomId, String connectionId, Identity identity, int max) {
        Occupancy room = rooms.computeIfAbsent(roomId, id -> new Occupancy());
        synchronized (room) {
            Member member = room.members.get(identity.id());
            if (member != null) {
                member.connections().add(connectionId);
                return Entry.ALREADY_PRESENT;
            }
            if (room.members.size() >= max) {
                return Entry.FULL;
            }
            Set<String> connections = new HashSet<>();
            connections.add(connectionId);
            room.members.put(identity.id(), new Member(identity, connections));
            return Entry.ENTERED;
        }
    }

    /** True once per stay: the first subscription of an identity to a room announces the join. */
    boolean announce(String roomId, String identityId) {
        return inRoom(roomId, false, room -> room.members.containsKey(identityId) && room.announced.add(identityId));
    }

    Departure leave(String roomId, String connectionId, String identityId) {
        return inRoom(roomId, new Departure(false, List.of()), room -> {
            Member member = room.members.get(identityId);
            boolean left = false;
            if (member != null && member.connections().remove(connectionId) && member.connections().isEmpty()) {
                room.members.remove(identityId);
                room.announced.remove(identityId);
                left = true;
            }
            return new Departure(left, identities(room));
        });
    }

    /** Removes an identity whatever its connections (kick). */
    boolean remove(String roomId, String identityId) {
        return inRoom(roomId, false, room -> {
            room.announced.remove(identityId);
            return room.members.remove(identityId) != null;
        });
    }

    /** The room's members, longest present first. */
    public List<Identity> members(String roomId) {
        return inRoom(roomId, List.of(), Presence::identities);
    }

    public boolean isPresent(String roomId, String identityId) {
        return inRoom(roomId, false, room -> room.members.containsKey(identityId));
    }

    /**
     * The one membership check: reading a room's history or participants, sending, whispering, typing and posting
     * GIFs are for identities present in the room.
     *
     * @throws Refusal when the identity is not in the room
     */
    public void requireMember(String roomId, String identityId) {
        if (!isPresent(roomId, identityId)) {
            throw Refusal.of(Refusal.Reason.NOT_ALLOWED, "You are not in this room.");
        }
    }

    /** The member with this id, if present. */
    public Optional<Identity> member(String roomId, String identityId) {
        return inRoom(roomId, Optional.empty(), room -> Optional.ofNullable(room.members.get(identityId)).map(Member::identity));
    }

    /** Whether the room has no space for this identity (already present counts as having one). */
    boolean isFullFor(Room room, String identityId) {
        return inRoom(room.id(), false, r -> r.members.size() >= room.max() && !r.members.containsKey(identityId));
    }

    public int count(String roomId) {
        return inRoom(roomId, 0, room -> room.members.size());
    }

    void forget(String roomId) {
        rooms.remove(roomId);
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

    private static List<Identity> identities(Occupancy room) {
        List<Identity> identities = new ArrayList<>(room.members.size());
        room.members.values().forEach(m -> identities.add(m.identity()));
        return identities;
    }
}
