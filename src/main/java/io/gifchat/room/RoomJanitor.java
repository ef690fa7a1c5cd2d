package io.gifchat.room;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Deletes rooms that stayed empty for the grace period ({@code gifchat.rooms.empty-grace}, 0 = never), so a user
 * refreshing the page does not wipe the room. Re-entering cancels. After a restart every room starts empty, and
 * gets the same grace for its people to come back.
 */
@Component
class RoomJanitor implements RoomEvents {

    private static final Logger log = LoggerFactory.getLogger(RoomJanitor.class);

    private final Map<String, Instant> emptySince = new ConcurrentHashMap<>();
    private final RoomRepository repository;
    private final RoomProperties properties;
    private final Presence presence;
    private final RoomService rooms;
    private final Clock clock = Clock.systemUTC();

    RoomJanitor(RoomRepository repository, RoomProperties properties, Presence presence, RoomService rooms) {
        this.repository = repository;
        this.properties = properties;
        this.presence = presence;
        this.rooms = rooms;
    }

    @Override
    public Mono<Void> created(Room room) {
        return Mono.fromRunnable(() -> emptied(room.id())); // until its creator enters
    }

    @Override
    public Mono<Void> deleted(Room room) {
        return Mono.fromRunnable(() -> emptySince.remove(room.id()));
    }

    void emptied(String roomId) {
        emptySince.put(roomId, clock.instant());
    }

    void occupied(String roomId) {
        emptySince.remove(roomId);
    }

    @EventListener(ApplicationReadyEvent.class)
    void watchExistingRooms() {
        repository.findAll().map(Room::id).doOnNext(this::emptied)
                .onErrorResume(e -> Mono.empty()).subscribe();
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
                            .flatMap(room -> rooms.delete(room)
                                    .doOnSuccess(v -> log.info("Deleted empty room {} ({})", room.id(), room.title())))
                            .then(Mono.fromRunnable(() -> emptySince.remove(roomId))))
                    .onErrorResume(e -> {
                        log.warn("Empty-room cleanup failed: {}", e.getMessage());
                        return Mono.empty();
                    })
                    .then();
        });
    }
}
