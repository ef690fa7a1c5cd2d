package io.gifchat.room;

import java.time.Clock;
import java.util.Optional;

import io.gifchat.domain.Announcer;
import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import io.gifchat.limits.Budget;
import io.gifchat.limits.Budgets;
import org.springframework.data.mongodb.core.FindAndModifyOptions;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.data.mongodb.core.query.Update;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Finding, listing and creating rooms. */
@Component
public class Rooms {

    private final RoomRepository repository;
    private final RoomPasswords passwords;
    private final Admissions admissions;
    private final Presence presence;
    private final Announcer announcer;
    private final ReactiveMongoTemplate mongo;
    private final Clock clock;
    private final Budgets budgets;
    private final RoomCreations creations;

    Rooms(RoomRepository repository, RoomPasswords passwords, Admissions admissions, Presence presence,
          Announcer announcer, ReactiveMongoTemplate mongo, Clock clock, Budgets budgets, RoomCreations creations) {
        this.budgets = budgets;
        this.creations = creations;
        this.repository = repository;
        this.mongo = mongo;
        this.passwords = passwords;
        this.admissions = admissions;
        this.presence = presence;
        this.announcer = announcer;
        this.clock = clock;
    }

    public Mono<Room> find(String roomId) {
        return repository.findById(roomId);
    }

    /** The room, or a {@link Refusal.Reason#NOT_FOUND} refusal. */
    public Mono<Room> require(String roomId) {
        return find(roomId).switchIfEmpty(Mono.error(() -> Refusal.of(Refusal.Reason.NOT_FOUND, "No such room.")));
    }

    /** Newest first. */
    public Flux<RoomView> list() {
        return repository.findAllByOrderByCreatedAtDesc().flatMapSequential(this::view);
    }

    /** The room as the lobby and pages show it, with the places taken now (on every node). */
    public Mono<RoomView> view(Room room) {
        return presence.count(room.id()).map(count -> RoomView.of(room, count));
    }

    /**
     * As {@link #create(NewRoom, Identity, String)}, once per {@code idempotencyKey} (null: no key): the same
     * creator sending the same key again within {@code gifchat.rooms.idempotency-window} gets the room the first
     * request made — read again, spending no budget — even while it is still being made (see {@link RoomCreations}).
     */
    public Mono<Room> create(NewRoom form, Identity creator, String clientAddress, String idempotencyKey) {
        if (idempotencyKey == null) {
            return create(form, creator, clientAddress);
        }
        return creations.once(creator.id(), idempotencyKey, form, () -> create(form, creator, clientAddress));
    }

    /**
     * The creator is admitted and owns the room. A valid form spends one of the creator's room budget and one of
     * its client address's.
     */
    public Mono<Room> create(NewRoom form, Identity creator, String clientAddress) {
        var errors = form.errors();
        if (!errors.isEmpty()) {
            return Mono.error(Refusal.invalid("The room is not valid.", errors));
        }
        try {
            budgets.spend(Budget.ROOMS, creator.id());
            budgets.spend(Budget.ROOMS_PER_ADDRESS, clientAddress);
        } catch (Refusal spent) {
            return Mono.error(spent);
        }
        String password = form.cleanPassword();
        Mono<Optional<String>> hash = password == null ? Mono.just(Optional.empty()) : passwords.hash(password).map(Optional::of);
        return hash.flatMap(h -> repository.save(new Room(null, form.cleanTitle(), form.cleanMax(), creator,
                        creator.id(), h.orElse(null), clock.instant())))
                .flatMap(room -> admissions.admit(room.id(), creator.id())
                        .then(announcer.announce(() -> new RoomEvents.Created(room)))
                        .thenReturn(room));
    }

    /**
     * Gives the room to {@code next} if {@code room.owner()} still owns it: two changes that race (the creator
     * coming back while the janitor hands the room over) cannot both win. Empty when the owner changed meanwhile
     * or the room is gone.
     */
    Mono<Room> changeOwner(Room room, Identity next) {
        Query owned = Query.query(Criteria.where("_id").is(room.id()).and("owner.id").is(room.owner().id()));
        return mongo.findAndModify(owned, new Update().set("owner", next),
                FindAndModifyOptions.options().returnNew(true), Room.class);
    }

    Mono<Void> delete(String roomId) {
        return repository.deleteById(roomId);
    }
}
