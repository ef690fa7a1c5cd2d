package io.gifchat.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

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
 * Deletes rooms that stayed empty for the grace period ({@code gifchat.rooms.empty-grace}, 0 = never), so a user
 * refreshing the page does not wipe the room. Re-entering cancels. After a restart every room starts empty, and
 * gets the same grace for its people to come back: on start it reads the stored rooms, retrying with backoff until
 * the store answers, and stops trying on shutdown.
 */
@Component
class RoomJanitor implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(RoomJanitor.class);

    private final Map<String, Instant> emptySince = new ConcurrentHashMap<>();
    private final RoomRepository repository;
    private final RoomDeletion deletion;
    private final Presence presence;
    private final RoomProperties properties;
    private final Clock clock;
    private volatile Disposable watching;
    private volatile boolean failing; // one warning per outage, not one per tick

    RoomJanitor(RoomRepository repository, RoomDeletion deletion, Presence presence, RoomProperties properties,
                Clock clock) {
        this.repository = repository;
        this.deletion = deletion;
        this.presence = presence;
        this.properties = properties;
        this.clock = clock;
    }

    @EventListener
    void on(RoomEvents.Created event) {
        emptied(event.room().id()); // until its creator enters
    }

    @EventListener
    void on(RoomEvents.Deleted event) {
        emptySince.remove(event.room().id());
    }

    /** Nobody is in the room any more (the last one left, or was kicked): its grace starts now. */
    void emptied(String roomId) {
        emptySince.put(roomId, clock.instant());
    }

    /** Someone entered: the room is not abandoned. */
    void occupied(String roomId) {
        emptySince.remove(roomId);
    }

    /** Spring subscribes to the returned Mono again on every tick, so everything is computed inside defer. */
    @Scheduled(fixedDelayString = "${gifchat.rooms.janitor-interval:1s}")
    Mono<Void> deleteAbandonedRooms() {
        return Mono.defer(() -> {
            if (properties.emptyGrace().isZero()) {
                return Mono.empty();
            }
            Instant deadline = clock.instant().minus(properties.emptyGrace());
            return Flux.fromIterable(List.copyOf(emptySince.entrySet()))
                    .filter(e -> e.getValue().isBefore(deadline) && presence.count(e.getKey()) == 0)
                    .map(Map.Entry::getKey)
                    .concatMap(roomId -> repository.findById(roomId)
                            .flatMap(room -> deletion.delete(room)
                                    .doOnSuccess(v -> log.info("Deleted empty room {} ({})", room.id(), room.title())))
                            .then(Mono.fromRunnable(() -> emptySince.remove(roomId))))
                    .then()
                    .doOnSuccess(done -> {
                        if (failing) {
                            failing = false;
                            log.info("Empty-room cleanup works again");
                        }
                    })
                    .onErrorResume(e -> {
                        if (!failing) {
                            failing = true;
                            log.warn("Empty-room cleanup failed ({}); retrying every tick, quietly until it works", e.toString());
                        }
                        return Mono.empty();
                    });
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
                .subscribe(ids -> ids.forEach(id -> emptySince.putIfAbsent(id, clock.instant())),
                        e -> log.error("Stopped watching the stored rooms", e));
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
