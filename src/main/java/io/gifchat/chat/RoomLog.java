package io.gifchat.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

import io.gifchat.domain.Refusal;
import io.gifchat.messaging.Wire;
import io.gifchat.room.RoomEvents;
import io.gifchat.room.RoomTopics;
import io.gifchat.store.StoreDurability;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A room's log of chat lines: each line gets the room's next {@code seq}, is stored (and made durable), and only
 * then published to the room. Appends to one room run one at a time in the room's {@link Lane}, so lines are
 * published in {@code seq} order even when many people send at once; rooms never wait for each other. A full lane
 * or a slow store is answered with a refusal, never a hang; deleting the room fails the lines still waiting with
 * "The room was deleted." (their senders are told, and keep their connections).
 */
@Component
public class RoomLog {

    static final Duration TOMBSTONE = Duration.ofMinutes(10);

    private static final Logger log = LoggerFactory.getLogger(RoomLog.class);

    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final ChatRepository chats;
    private final ChatSequence sequence;
    private final StoreDurability durability;
    private final Wire wire;
    private final ChatProperties properties;
    private final Clock clock;
    private volatile boolean storeFailing;

    RoomLog(ChatRepository chats, ChatSequence sequence, StoreDurability durability, Wire wire,
            ChatProperties properties, Clock clock) {
        this.clock = clock;
        this.chats = chats;
        this.sequence = sequence;
        this.durability = durability;
        this.wire = wire;
        this.properties = properties;
    }

    /** Stores and publishes one line built from its {@code seq}. */
    public Mono<Chat> append(String roomId, LongFunction<Chat> line) {
        return append(roomId, null, line);
    }

    /**
     * As {@link #append(String, LongFunction)}, but a line whose {@code dedupeId} is already stored is returned as
     * it was, and nothing new is stored or published: a retried message is safe.
     */
    public Mono<Chat> append(String roomId, String dedupeId, LongFunction<Chat> line) {
        return Mono.defer(() -> lane(roomId).submit(() -> {
            Mono<Chat> existing = dedupeId == null ? Mono.empty() : chats.findById(dedupeId);
            return existing.switchIfEmpty(Mono.defer(() -> store(roomId, line)))
                    .doOnSuccess(stored -> storeWorks())
                    .onErrorMap(e -> !(e instanceof Refusal), this::storeFailed);
        }));
    }

    /** The store failing (MongoDB unreachable, a write refused) is the sender's refusal, logged once per outage. */
    private Refusal storeFailed(Throwable error) {
        if (!storeFailing) {
            storeFailing = true;
            log.warn("Storing chat lines fails ({}); senders are told to try again", error.toString());
        }
        return Refusal.of(Refusal.Reason.BUSY, "The message could not be stored; try again.");
    }

    private void storeWorks() {
        if (storeFailing) {
            storeFailing = false;
            log.info("Storing chat lines works again");
        }
    }

    /** Lines waiting in the room's lane behind the one being written. */
    int waiting(String roomId) {
        Lane lane = lanes.get(roomId);
        return lane == null ? 0 : lane.waiting();
    }

    private Lane lane(String roomId) {
        return lanes.computeIfAbsent(roomId, id -> new Lane(properties.laneCapacity(), properties.appendTimeout()));
    }

    private Mono<Chat> store(String roomId, LongFunction<Chat> line) {
        return sequence.next(roomId)
                .map(line::apply)
                .flatMap(chats::save)
                .flatMap(chat -> durability.flush().thenReturn(chat))
                .doOnNext(chat -> wire.publish(RoomTopics.room(chat.room()), ChatLine.of(chat)));
    }

    /**
     * A deleted room's lane refuses new lines and fails the waiting ones; once the line being written is done, the
     * room's lines and counter are deleted. The closed lane stays for {@link #TOMBSTONE} as a tombstone, so a late
     * append (a GIF upload that finished after the deletion) is refused instead of writing into a room that no
     * longer exists.
     */
    @EventListener
    @Order(20) // before the lobby: removeRoom goes out once the lines are gone
    void on(RoomEvents.Deleted event) {
        String roomId = event.room().id();
        Lane lane = lane(roomId);
        event.andThen(lane.close(Refusal.of(Refusal.Reason.GONE, "The room was deleted."), clock.instant())
                .then(chats.deleteByRoom(roomId))
                .then(sequence.forget(roomId)));
    }

    /** Open lanes stay (one per live room, a few hundred bytes); a deleted room's tombstone goes after a while. */
    @Scheduled(fixedDelay = 60_000)
    void forgetDeletedRooms() {
        Instant before = clock.instant().minus(TOMBSTONE);
        lanes.values().removeIf(lane -> lane.closedAt() != null && lane.closedAt().isBefore(before));
    }
}
