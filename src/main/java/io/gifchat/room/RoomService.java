package io.gifchat.room;

import org.springframework.http.HttpStatus;
import io.gifchat.web.Refusal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.gifchat.broker.Broker;
import io.gifchat.identity.Identity;
import io.gifchat.messaging.Subscriptions;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Creating, entering, leaving, handing over, kicking and deleting rooms; every change tells {@link RoomEvents}. */
@Service
public class RoomService {

    private final RoomRepository rooms;
    private final RoomPasswords passwords;
    private final Admissions admissions;
    private final Presence presence;
    // Lazily: some event handlers (the janitor, chat) use this service themselves.
    private final ObjectProvider<RoomEvents> events;
    private final Subscriptions subscriptions;
    private final Broker broker;
    private final JsonMapper json;
    private final RoomProperties properties;
    private final Clock clock;
    private final Map<String, Instant> bans = new ConcurrentHashMap<>();
    /** Rooms whose owner left when nobody else was there: the next one to enter takes the room over. */
    private final Set<String> ownerLeft = ConcurrentHashMap.newKeySet();

    RoomService(RoomRepository rooms, RoomPasswords passwords, Admissions admissions, Presence presence,
                ObjectProvider<RoomEvents> events, Subscriptions subscriptions, Broker broker, JsonMapper json,
                RoomProperties properties) {
        this.rooms = rooms;
        this.passwords = passwords;
        this.admissions = admissions;
        this.presence = presence;
        this.events = events;
        this.subscriptions = subscriptions;
        this.broker = broker;
        this.json = json;
        this.properties = properties;
        this.clock = Clock.systemUTC();
    }

    public Mono<Room> find(String roomId) {
        return rooms.findById(roomId);
    }

    public Flux<RoomView> list() {
        return rooms.findAllByOrderByCreatedAtDesc().map(this::view);
    }

    public RoomView view(Room room) {
        return RoomView.of(room, presence.count(room.id()));
    }

    /**
     * The checks of the room page, in the order a visitor meets them. Entering for real happens on SUBSCRIBE
     * ({@link RoomAccess}), which checks again, atomically for the capacity.
     */
    public Mono<Entrance> entrance(String roomId, Identity who) {
        return rooms.findById(roomId).flatMap(room -> {
            RoomView view = view(room);
            if (isBanned(roomId, who.id())) {
                return Mono.<Entrance>just(new Entrance.Removed(view));
            }
            return isAdmitted(room, who.id()).map(admitted -> !admitted ? new Entrance.PasswordRequired(view)
                    : isFullFor(room, who.id()) ? new Entrance.Full(view) : new Entrance.Open(view));
        }).defaultIfEmpty(new Entrance.NotFound());
    }

    /** Validated by the caller ({@link NewRoom#errors()}); the creator is admitted and owns the room. */
    Mono<Room> create(NewRoom form, Identity creator) {
        String password = form.cleanPassword();
        Mono<String> hash = password == null ? Mono.empty() : passwords.hash(password);
        return hash.map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                .flatMap(h -> rooms.save(new Room(null, form.cleanTitle(), form.cleanMax(), creator, h.orElse(null),
                        clock.instant())))
                .flatMap(room -> admissions.admit(room.id(), creator.id()).then(tell(e -> e.created(room))).thenReturn(room));
    }

    Mono<Boolean> isAdmitted(Room room, String identityId) {
        return room.locked() ? admissions.isAdmitted(room.id(), identityId) : Mono.just(true);
    }

    /** Checks a locked room's password; on success this identity may enter from now on. */
    Mono<Boolean> admit(Room room, String password, String identityId) {
        if (!room.locked()) {
            return Mono.just(true);
        }
        return passwords.matches(password, room.passwordHash())
                .flatMap(ok -> ok ? admissions.admit(room.id(), identityId).thenReturn(true) : Mono.just(false));
    }

    boolean isBanned(String roomId, String identityId) {
        Instant until = bans.get(roomId + "/" + identityId);
        if (until == null) {
            return false;
        }
        if (until.isBefore(clock.instant())) {
            bans.remove(roomId + "/" + identityId, until);
            return false;
        }
        return true;
    }

    boolean isFullFor(Room room, String identityId) {
        return presence.count(room.id()) >= room.max() && !presence.isPresent(room.id(), identityId);
    }

    /**
     * The first subscription of an identity: announce the join. If the owner had left an empty room, the first
     * one back (the member present longest, from now on) takes it over; the owner coming back keeps it.
     */
    Mono<Void> joined(String roomId, Identity who) {
        return rooms.findById(roomId).flatMap(room -> {
            boolean takeOver = ownerLeft.remove(roomId) && !room.owner().id().equals(who.id());
            Mono<Room> current = takeOver ? rooms.save(withOwner(room, who)) : Mono.just(room);
            return current.flatMap(r -> tell(e -> e.joined(r, who))
                    .then(takeOver ? tell(e -> e.ownerChanged(r, room.owner())) : Mono.empty())
                    .then(publishPresence(r)));
        });
    }

    /** The last tab of an identity left: hand the room over if it was the owner's, announce the exit. */
    Mono<Void> left(String roomId, Identity who, List<Identity> remaining) {
        return rooms.findById(roomId).flatMap(room -> {
            boolean ownerLeaves = room.owner().id().equals(who.id());
            boolean handOver = ownerLeaves && !remaining.isEmpty();
            if (ownerLeaves && remaining.isEmpty()) {
                ownerLeft.add(roomId);
            }
            Mono<Void> announce = tell(e -> e.left(room, who));
            if (!handOver) {
                return announce.then(publishPresence(room));
            }
            return announce.then(rooms.save(withOwner(room, remaining.get(0))))
                    .flatMap(next -> tell(e -> e.ownerChanged(next, who)).then(publishPresence(next)));
        });
    }

    /** Only the owner may kick, and not themselves. The kicked identity is out at once and banned for a while. */
    Mono<Void> kick(Room room, Identity by, String identityId) {
        if (!room.owner().id().equals(by.id())) {
            return Mono.error(new Refusal(HttpStatus.FORBIDDEN, "Only the owner can remove participants."));
        }
        if (identityId.equals(by.id())) {
            return Mono.error(new Refusal(HttpStatus.BAD_REQUEST, "The owner cannot remove themselves."));
        }
        Identity target = presence.members(room.id()).stream().filter(i -> i.id().equals(identityId)).findFirst()
                .orElse(null);
        if (target == null) {
            return Mono.error(new Refusal(HttpStatus.NOT_FOUND, "That participant is not in the room."));
        }
        bans.put(room.id() + "/" + identityId, clock.instant().plus(properties.kickBan()));
        presence.remove(room.id(), identityId);
        byte[] notice = json.writeValueAsBytes(Map.of("type", "kicked", "room", room.id(), "title", room.title(),
                "reason", "The owner removed you from this room.", "until", clock.instant().plus(properties.kickBan()).toString()));
        return subscriptions.endFor(identityId, d -> d.equals(RoomTopics.room(room.id())) || d.equals(RoomTopics.typing(room.id())))
                .then(Mono.fromRunnable(() -> broker.sendToUser(identityId, "/queue/notice", "application/json", notice)))
                .then(tell(e -> e.kicked(room, target)))
                .then(publishPresence(room));
    }

    /** Deletes the room: members are told and their subscriptions end; its messages and GIFs go with it. */
    public Mono<Void> delete(Room room) {
        presence.forget(room.id());
        ownerLeft.remove(room.id());
        byte[] gone = json.writeValueAsBytes(Map.of("type", "roomDeleted", "room", room.id()));
        return Mono.fromRunnable(() -> broker.publish(RoomTopics.room(room.id()), "application/json", gone))
                .then(subscriptions.endAll(RoomTopics.room(room.id())))
                .then(subscriptions.endAll(RoomTopics.typing(room.id())))
                .then(rooms.deleteById(room.id()))
                .then(admissions.forget(room.id()))
                .then(tell(e -> e.deleted(room)));
    }

    /** The participant list, sent to the room after every change: {type: presence, owner, participants}. */
    private Mono<Void> publishPresence(Room room) {
        return Mono.fromRunnable(() -> broker.publish(RoomTopics.room(room.id()), "application/json",
                json.writeValueAsBytes(Map.of("type", "presence", "room", room.id(), "owner", room.owner(),
                        "participants", presence.members(room.id())))));
    }

    private static Room withOwner(Room room, Identity owner) {
        return new Room(room.id(), room.title(), room.max(), owner, room.passwordHash(), room.createdAt());
    }

    private Mono<Void> tell(Function<RoomEvents, Mono<Void>> event) {
        return Flux.fromStream(events::orderedStream).concatMap(event).then();
    }
}
