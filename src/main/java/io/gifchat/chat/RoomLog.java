package io.gifchat.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongFunction;

import io.gifchat.domain.Refusal;
import io.gifchat.messaging.Wire;
import io.gifchat.room.RoomEvents;
import io.gifchat.room.RoomTopics;
import io.gifchat.room.Rooms;
import io.gifchat.store.StoreDurability;
import org.bson.types.ObjectId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * A room's log of chat lines: each line gets the room's next {@code seq}, is stored and made durable, and only
 * then published to the room and answered. The room's {@link Lane} is its single writer, so:
 * <ul>
 * <li>the seq is allocated in memory, recovered once from the room's last stored line (after a restart or a crash:
 * a line is answered only once it is durable, so nothing anyone saw is ever given a seq again);</li>
 * <li>whatever queued while a batch was being written goes into the next one: the lines are stored with one insert
 * and one commit (group commit), then published and answered in seq order;</li>
 * <li>a line with a {@code dedupeId} already stored is answered as it was and nothing new is stored or published
 * (retries are safe); the store's unique id finds it, so new lines cost no lookup.</li>
 * </ul>
 * Rooms never wait for each other. A full lane or a slow store is answered with a refusal, never a hang; deleting
 * the room fails the lines still waiting with "The room was deleted." (their senders keep their connections).
 */
@Component
public class RoomLog {

    /** Lines stored with one insert and one commit, at most: the embedded store's best batch size, measured. */
    static final int MAX_BATCH = 64;

    private static final Logger log = LoggerFactory.getLogger(RoomLog.class);

    /** One line to append: built from its seq once it has one. */
    private record Append(String dedupeId, LongFunction<Chat> line) {
    }

    /** A room's writer: its lane and, once known, the seq its next line gets (touched by the lane only). */
    private final class Writer {
        final Lane<Append, Chat> lane;
        volatile long next; // 0: not known yet, read from the store first

        Writer(String roomId) {
            lane = new Lane<>(appends -> write(roomId, this, appends), properties.laneCapacity(), MAX_BATCH,
                    properties.appendTimeout(), properties.appendTimeout());
        }
    }

    private final ConcurrentHashMap<String, Writer> writers = new ConcurrentHashMap<>();
    private final Rooms rooms;
    private final ChatRepository chats;
    private final ReactiveMongoTemplate mongo;
    private final StoreDurability durability;
    private final Wire wire;
    private final ChatProperties properties;
    private volatile boolean storeFailing;

    RoomLog(Rooms rooms, ChatRepository chats, ReactiveMongoTemplate mongo, StoreDurability durability, Wire wire,
            ChatProperties properties) {
        this.rooms = rooms;
        this.chats = chats;
        this.mongo = mongo;
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
        return Mono.defer(() -> writer(roomId).lane.submit(new Append(dedupeId, line)));
    }

    /**
     * As {@link #append(String, String, LongFunction)}, queued now rather than when subscribed: for a sender that
     * must not wait (a STOMP connection handles its next frame meanwhile); {@code reply} is told once.
     */
    void offer(String roomId, String dedupeId, LongFunction<Chat> line, Lane.Reply<Chat> reply) {
        writer(roomId).lane.offer(new Append(dedupeId, line), reply);
    }

    /** Lines waiting in the room's lane behind the batch being written. */
    int waiting(String roomId) {
        Writer writer = writers.get(roomId);
        return writer == null ? 0 : writer.lane.waiting();
    }

    private Writer writer(String roomId) {
        return writers.computeIfAbsent(roomId, Writer::new);
    }

    /**
     * One batch: seqs from memory, one insert, one commit, then publish and answer in order. The insert is
     * optimistic: a retried line (its dedupe id stored already) makes it fail on the unique {@code _id}, and only
     * then are the batch's ids looked up ({@link #recover}) — so a batch costs one round trip, not two.
     */
    private Mono<List<Chat>> write(String roomId, Writer writer, List<Append> appends) {
        AtomicBoolean abandoned = new AtomicBoolean();
        Mono<List<Chat>> stored = firstSeq(roomId, writer)
                .flatMap(first -> {
                    List<Chat> lines = new ArrayList<>(appends.size());
                    long seq = first;
                    for (Append append : appends) {
                        lines.add(append.line().apply(seq++).withId(idOf(append)));
                    }
                    long next = seq;
                    return mongo.insertAll(lines).collectList()
                            .flatMap(inserted -> durability.flush().thenReturn(inserted))
                            .map(inserted -> {
                                if (!abandoned.get()) { // past the run limit the next batch owns the room
                                    writer.next = next;
                                    publish(roomId, inserted);
                                }
                                return inserted;
                            })
                            .onErrorResume(DuplicateKeyException.class,
                                    duplicate -> recover(roomId, writer, appends, lines, first, abandoned));
                })
                .doOnSuccess(done -> storeWorks())
                .onErrorMap(e -> !(e instanceof Refusal), this::storeFailed)
                // Some of the batch may be stored: read the seq from the store again before the next line.
                .doOnError(e -> writer.next = 0)
                .flatMap(lines -> abandoned.get() && writer.lane.isClosed() ? removeLate(roomId, lines) : Mono.just(lines))
                .doOnError(e -> {
                    if (abandoned.get()) { // nobody waits for it any more: say so here
                        log.info("A batch of room {} that its log gave up on failed later: {}", roomId, e.toString());
                    }
                });
        // A store does not undo a write because its client stopped waiting: when the lane gives up on the batch (run
        // limit), the write goes on detached instead of being cut loose, so that one landing after its room was
        // deleted (the deletion's cleanup ran already) can remove its lines itself. The lane moves on meanwhile;
        // the next batch reads the room's seq from the store again.
        CompletableFuture<List<Chat>> landing = stored.toFuture();
        return Mono.fromFuture(landing, true)
                .doOnCancel(() -> {
                    abandoned.set(true);
                    writer.next = 0;
                });
    }

    /**
     * Lines of a batch the lane gave up on that landed after their room's deletion closed its lane: the deletion's
     * cleanup may have run before they landed, so they are removed here (a line removed twice is harmless).
     */
    private Mono<List<Chat>> removeLate(String roomId, List<Chat> lines) {
        return chats.deleteAllById(lines.stream().map(Chat::id).toList())
                .doOnSuccess(done -> log.info("Removed {} lines that landed after room {} was deleted", lines.size(), roomId))
                .thenReturn(lines);
    }

    /**
     * A line of the batch was stored before (a retry): the insert stopped there. What the batch's ids find now is
     * either that earlier line (answered as it was, not published again) or one this batch stored before the insert
     * stopped (seq from {@code attempted} on: published now). The rest is stored after the room's last seq, so no
     * seq is skipped. Nothing is answered before it is durable, the earlier line included: its first attempt may have
     * been given up on while still uncommitted ({@link StoreDurability#coverEarlierWrites()}).
     */
    private Mono<List<Chat>> recover(String roomId, Writer writer, List<Append> appends, List<Chat> lines, long attempted,
                                     AtomicBoolean abandoned) {
        List<String> ids = lines.stream().map(Chat::id).distinct().toList();
        return chats.findAllById(ids).collectMap(Chat::id)
                .zipWith(storedNext(roomId))
                .flatMap(t -> {
                    Map<String, Chat> found = new HashMap<>(t.getT1());
                    long seq = t.getT2();
                    List<Chat> fresh = new ArrayList<>();
                    List<Chat> storedNow = new ArrayList<>();
                    for (int i = 0; i < appends.size(); i++) {
                        String id = lines.get(i).id();
                        Chat earlier = found.get(id);
                        if (earlier == null) {
                            Chat line = appends.get(i).line().apply(seq++).withId(id);
                            found.put(id, line); // the same id twice in one batch: stored once
                            fresh.add(line);
                        } else if (earlier.seq() >= attempted && !storedNow.contains(earlier)) {
                            storedNow.add(earlier);
                        }
                    }
                    long next = seq;
                    Mono<List<Chat>> inserted = fresh.isEmpty() ? Mono.just(List.of()) : mongo.insertAll(fresh).collectList();
                    // What the lookup found was written by an attempt whose answer may never have come (the lane gave
                    // up on it): made durable before it is answered, like the lines stored now.
                    return inserted.flatMap(done -> durability.coverEarlierWrites().thenReturn(done)).map(done -> {
                        if (!abandoned.get()) {
                            writer.next = next;
                            List<Chat> stored = new ArrayList<>(storedNow);
                            stored.addAll(done);
                            stored.sort(Comparator.comparingLong(Chat::seq));
                            publish(roomId, stored);
                        }
                        List<Chat> answers = new ArrayList<>(appends.size());
                        lines.forEach(line -> answers.add(found.get(line.id())));
                        return answers;
                    });
                });
    }

    /** A retried message is found by its dedupe id; every other line gets a fresh id now, so it can be found too. */
    private static String idOf(Append append) {
        return append.dedupeId() != null ? append.dedupeId() : new ObjectId().toHexString();
    }

    /**
     * The seq of the batch's first line. When memory does not know it (the room's first batch since the start, or
     * after a failure) it is read from the store, and the room must still exist: a line that arrives after its room
     * was deleted (a GIF upload finishing late) is refused, and the writer it created is dropped again — a deleted
     * room keeps no writer, and nothing is written into it.
     */
    private Mono<Long> firstSeq(String roomId, Writer writer) {
        long next = writer.next;
        if (next > 0) {
            return Mono.just(next);
        }
        return rooms.find(roomId).hasElement().flatMap(exists -> {
            if (!exists) {
                // Shut before it is dropped: the lines queued behind this batch are refused now, and a batch the
                // lane gave up on earlier that lands later sees its lane closed and removes its lines. The room's
                // deletion may close another writer (this one is no longer in the map by then).
                Refusal gone = Refusal.of(Refusal.Reason.GONE, "The room was deleted.");
                writer.lane.shut(gone);
                writers.remove(roomId, writer);
                return Mono.error(gone);
            }
            return storedNext(roomId);
        });
    }

    /** The seq after the room's last stored line: where the room goes on when memory does not know. */
    private Mono<Long> storedNext(String roomId) {
        return chats.findFirstByRoomOrderBySeqDesc(roomId).map(last -> last.seq() + 1).defaultIfEmpty(1L);
    }

    /** Durable lines, in seq order, to the room's subscribers. */
    private void publish(String roomId, List<Chat> lines) {
        String topic = RoomTopics.room(roomId);
        lines.forEach(line -> wire.publish(topic, ChatLine.of(line)));
    }

    /** The store failing (MongoDB unreachable, a write refused) is the senders' refusal, logged once per outage. */
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

    /**
     * A deleted room's lane refuses new lines and fails the waiting ones; once the batch being written is done, the
     * room's lines are deleted and its writer dropped. A line that comes later finds no room ({@link #firstSeq}).
     */
    @EventListener
    @Order(20) // before the lobby: removeRoom goes out once the lines are gone
    void on(RoomEvents.Deleted event) {
        String roomId = event.room().id();
        event.andThen(close(roomId, writer(roomId)));
    }

    /**
     * Deleted on another node (cluster), whose cleanup may have run before this node's lane stopped taking lines:
     * a writer of this node's is closed the same way, and the lines it stored are removed (again: harmless). A node
     * without one has nothing to do; a line that comes later finds no room.
     */
    @EventListener
    void on(RoomEvents.DeletedElsewhere event) {
        Writer writer = writers.get(event.roomId());
        if (writer != null) {
            event.andThen(close(event.roomId(), writer));
        }
    }

    private Mono<Void> close(String roomId, Writer writer) {
        return writer.lane.close(Refusal.of(Refusal.Reason.GONE, "The room was deleted."))
                .then(chats.deleteByRoom(roomId))
                .then(Mono.fromRunnable(() -> writers.remove(roomId, writer)));
    }
}
