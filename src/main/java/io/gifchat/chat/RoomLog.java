package io.gifchat.chat;

import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongFunction;

import io.gifchat.broker.Broker;
import io.gifchat.config.StoreDurability;
import io.gifchat.room.Room;
import io.gifchat.room.RoomEvents;
import io.gifchat.room.RoomTopics;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;
import tools.jackson.databind.json.JsonMapper;

/**
 * A room's log of chat lines: each line gets the room's next {@code seq}, is stored (and flushed), and only then
 * published to the room. Appends to one room run one at a time, in a lane of their own, so lines are published in
 * {@code seq} order even when many people send at once; rooms never wait for each other.
 */
@Component
@Order(20)
public class RoomLog implements RoomEvents {

    private record Job(String roomId, String dedupeId, LongFunction<Chat> line, Sinks.One<Chat> result) {
    }

    private final class Lane {
        private final Queue<Job> queue = Queues.<Job>unboundedMultiproducer().get();
        // MPSC queue + unsafe sink: appends come from any thread; the drain is serialized by the sink itself.
        private final Sinks.Many<Job> jobs = Sinks.unsafe().many().unicast().onBackpressureBuffer(queue);
        private final Disposable worker = jobs.asFlux()
                .concatMap(job -> run(job).doOnNext(job.result()::tryEmitValue)
                        .doOnError(job.result()::tryEmitError)
                        .onErrorResume(e -> Mono.empty()))
                .subscribe();
    }

    private final ConcurrentHashMap<String, Lane> lanes = new ConcurrentHashMap<>();
    private final ChatRepository chats;
    private final ChatSequence sequence;
    private final StoreDurability durability;
    private final Broker broker;
    private final JsonMapper json;

    RoomLog(ChatRepository chats, ChatSequence sequence, StoreDurability durability, Broker broker, JsonMapper json) {
        this.chats = chats;
        this.sequence = sequence;
        this.durability = durability;
        this.broker = broker;
        this.json = json;
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
        return Mono.defer(() -> {
            Sinks.One<Chat> result = Sinks.one();
            lanes.computeIfAbsent(roomId, id -> new Lane()).jobs.tryEmitNext(new Job(roomId, dedupeId, line, result));
            return result.asMono();
        });
    }

    private Mono<Chat> run(Job job) {
        Mono<Chat> existing = job.dedupeId() == null ? Mono.empty() : chats.findById(job.dedupeId());
        return existing.switchIfEmpty(Mono.defer(() -> store(job)));
    }

    private Mono<Chat> store(Job job) {
        return sequence.next(job.roomId())
                .map(job.line()::apply)
                .flatMap(chats::save)
                .flatMap(chat -> durability.flush().thenReturn(chat))
                .doOnNext(chat -> broker.publish(RoomTopics.room(chat.room()), "application/json",
                        ChatJson.bytes(json, chat)));
    }

    @Override
    public Mono<Void> deleted(Room room) {
        return Mono.fromRunnable(() -> {
            Lane lane = lanes.remove(room.id());
            if (lane != null) {
                lane.worker.dispose();
            }
        });
    }
}
