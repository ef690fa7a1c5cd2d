package io.gifchat.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The rooms' timers, on one tick ({@code gifchat.rooms.janitor-interval}) read against the one clock: the exits of
 * those whose leave-grace passed, the hand-over of rooms whose owner did not come back within the owner-grace, and
 * the deletion of rooms that stayed empty for {@code gifchat.rooms.empty-grace} (0 = never), so a user refreshing
 * the page does not wipe the room. Re-entering cancels. After a restart every room starts empty, and gets the same
 * grace for its people to come back: on start it reads the stored rooms, retrying with backoff until the store
 * answers, and stops trying on shutdown.
 */
@Component
class RoomJanitor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RoomJanitor.class);

    /** One of the tick's jobs: its failures are logged once per outage, not once per tick, and stop no other job. */
    private static final class Job {
        private final String name;
        private volatile boolean failing;

        Job(String name) {
            this.name = name;
        }

        Mono<Void> run(Mono<Void> work) {
            return work.doOnSuccess(done -> {
                if (failing) {
                    failing = false;
                    log.info("{} works again", name);
                }
            }).onErrorResume(e -> {
                if (!failing) {
                    failing = true;
                    log.warn("{} failed ({}); retrying every tick, quietly until it works", name, e.toString());
                }
                return Mono.empty();
            });
        }
    }

    private final Job exits = new Job("Announcing exits");
    private final Job handOvers = new Job("Handing rooms over");
    private final Job cleanup = new Job("Empty-room cleanup");
    private final RoomRepository repository;
    private final RoomDeletion deletion;
    private final Places presence;
    private final Attendance attendance;
    private final Ownership ownership;
    private final RoomProperties properties;
    private final Clock clock;
    private volatile Disposable watching;

    RoomJanitor(RoomRepository repository, RoomDeletion deletion, Places presence, Attendance attendance,
                Ownership ownership, RoomProperties properties, Clock clock) {
        this.repository = repository;
        this.deletion = deletion;
        this.presence = presence;
        this.attendance = attendance;
        this.ownership = ownership;
        this.properties = properties;
        this.clock = clock;
    }

    @EventListener
    void on(RoomEvents.Created event) {
        event.andThen(presence.track(event.room().id())); // empty until its creator enters
    }

    /**
     * Exits first (an exit can start an owner's grace and empty a room), then hand-overs, then empty rooms. Spring
     * subscribes to the returned Mono again on every tick, so everything is computed inside defer.
     */
    @Scheduled(fixedDelayString = "${gifchat.rooms.janitor-interval:1s}")
    Mono<Void> tick() {
        return exits.run(attendance.announceDueExits())
                .then(handOvers.run(ownership.handOverDue()))
                .then(cleanup.run(deleteAbandonedRooms()));
    }

    private Mono<Void> deleteAbandonedRooms() {
        return Mono.defer(() -> {
            if (properties.emptyGrace().isZero()) {
                return Mono.empty();
            }
            Instant deadline = clock.instant().minus(properties.emptyGrace());
            return presence.emptyBefore(deadline).flatMapMany(Flux::fromIterable)
                    .concatMap(roomId -> repository.findById(roomId)
                            .flatMap(room -> deletion.delete(room)
                                    .doOnSuccess(v -> log.info("Deleted empty room {} ({})", room.id(), room.title()))
                                    // In a cluster the room was handed to this node alone: back in the list, so
                                    // the next tick (here or on another node) tries again.
                                    .onErrorResume(e -> presence.track(roomId).then(Mono.error(e)))
                                    .thenReturn(room))
                            .switchIfEmpty(presence.forgetEmpty(roomId).then(Mono.empty()))) // gone already
                    .then();
        });
    }

    /** Every stored room starts the grace now; the store may not answer yet, so this retries until it does. */
    @Override
    public void start() {
        watching = repository.findAll()
                .map(Room::id)
                .collectList()
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofSeconds(1)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(signal -> {
                            if (signal.totalRetriesInARow() == 0) {
                                log.warn("Cannot read the stored rooms yet ({}); retrying", signal.failure().toString());
                            }
                        }))
                .flatMapMany(Flux::fromIterable)
                .concatMap(presence::track)
                .subscribe(done -> {
                }, e -> log.error("Stopped watching the stored rooms", e));
    }

    @Override
    public void stop() {
        Disposable current = watching;
        if (current != null) {
            current.dispose();
        }
        watching = null;
    }

    @Override
    public boolean isRunning() {
        return watching != null;
    }
}
