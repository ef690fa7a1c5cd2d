package io.gifchat.chat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * In a cluster each node's lane writes the room's lines of its own senders, and the store arbitrates the seq: the
 * unique (room, seq) refuses a seq another node took, and the batch is stored again after the room's last stored
 * line ({@link #recover}). A line with seq k+1 is only ever inserted once k is stored (one ordered insert, from the
 * seq after a stored one), so a room's stored seqs stay contiguous. A writer starts its batch above every line of
 * the room this node saw ({@link LineOrder#seen}), so only batches written at the same moment conflict, and each
 * node puts the lines of all nodes back in seq order for its subscribers ({@link LineOrder}).
 * <p>
 * Rooms never wait for each other. A full lane or a slow store is answered with a refusal, never a hang; deleting
 * the room fails the lines still waiting with "The room was deleted." (their senders keep their connections).
 */
@Component
public class RoomLog {

    /** Lines stored with one insert and one commit, at most: the embedded store's best batch size, measured. */
    static final int MAX_BATCH = 64;

    /**
     * Rounds of a batch's recovery at most: each one after the first means another node stored a line of the room
     * between this one's reading the room's last seq and its insert. Past them the senders are told to try again.
     */
    static final int MAX_RECOVERIES = 8;

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
    private final LineOrder order;
    private volatile boolean storeFailing;

    RoomLog(Rooms rooms, ChatRepository chats, ReactiveMongoTemplate mongo, StoreDurability durability, Wire wire,
            ChatProperties properties, LineOrder order) {
        this.rooms = rooms;
        this.chats = chats;
        this.mongo = mongo;
        this.durability = durability;
        this.wire = wire;
        this.properties = properties;
        this.order = order;
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
                                    duplicate -> recover(roomId, writer, appends, lines, abandoned));
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
     * The batch's insert stopped on a unique key: a line of it was stored before (a retry: its dedupe id), or
     * another node took one of its seqs (the store arbitrates the seq between nodes: the unique (room, seq)), or
     * both. What the batch's ids find now is either a line stored earlier (answered as it was, not published again)
     * or one this batch stored before its insert stopped (published now, once); the rest is stored after the room's
     * last seq, so no seq is skipped — and when that insert meets another node's batch too, the same again, at most
     * {@link #MAX_RECOVERIES} times. Nothing is answered before it is durable, the earlier line included: its first
     * attempt may have been given up on while still uncommitted ({@link StoreDurability#coverEarlierWrites()}).
     */
    private Mono<List<Chat>> recover(String roomId, Writer writer, List<Append> appends, List<Chat> lines,
                                     AtomicBoolean abandoned) {
        return new Recovery(roomId, writer, appends, lines, abandoned).round(1);
    }

    /** One batch's recovery, round after round: what it learnt of its lines so far. */
    private final class Recovery {
        final String roomId;
        final Writer writer;
        final List<Append> appends;
        final List<String> ids;
        final AtomicBoolean abandoned;
        /** Per id, the seqs this batch tried to store it at: a line found at one of them was stored by this batch. */
        final Map<String, Set<Long>> tried = new HashMap<>();
        /** Per id, its line once known: found stored, or stored by the round that succeeded. */
        final Map<String, Chat> resolved = new HashMap<>();
        /** Lines this batch stored in inserts that stopped later: published with the rest. */
        final List<Chat> storedHere = new ArrayList<>();

        Recovery(String roomId, Writer writer, List<Append> appends, List<Chat> lines, AtomicBoolean abandoned) {
            this.roomId = roomId;
            this.writer = writer;
            this.appends = appends;
            this.ids = lines.stream().map(Chat::id).toList();
            this.abandoned = abandoned;
            lines.forEach(this::tried);
        }

        Mono<List<Chat>> round(int attempt) {
            List<String> open = ids.stream().filter(id -> !resolved.containsKey(id)).distinct().toList();
            return chats.findAllById(open).collectMap(Chat::id)
                    .zipWith(storedNext(roomId))
                    .flatMap(t -> {
                        Map<String, Chat> found = t.getT1();
                        long seq = t.getT2();
                        Map<String, Chat> fresh = new LinkedHashMap<>(); // the same id twice in one batch: stored once
                        for (int i = 0; i < appends.size(); i++) {
                            String id = ids.get(i);
                            if (resolved.containsKey(id) || fresh.containsKey(id)) {
                                continue;
                            }
                            Chat there = found.get(id);
                            if (there == null) {
                                Chat line = appends.get(i).line().apply(seq++).withId(id);
                                fresh.put(id, line);
                                tried(line);
                            } else {
                                resolved.put(id, there);
                                if (tried.get(id).contains(there.seq())) {
                                    storedHere.add(there);
                                }
                            }
                        }
                        long next = seq;
                        List<Chat> lines = List.copyOf(fresh.values());
                        Mono<Boolean> inserted = lines.isEmpty() ? Mono.just(true)
                                : mongo.insertAll(lines).then(Mono.just(true))
                                        .onErrorResume(DuplicateKeyException.class, conflict -> Mono.just(false));
                        return inserted.flatMap(done -> {
                            if (done) {
                                lines.forEach(line -> resolved.put(line.id(), line));
                                return finish(next, lines);
                            }
                            return attempt < MAX_RECOVERIES ? round(attempt + 1) : exhausted();
                        });
                    });
        }

        /** Every line is stored: made durable (the found ones too), published in seq order, answered. */
        private Mono<List<Chat>> finish(long next, List<Chat> inserted) {
            // What the lookup found was written by an attempt whose answer may never have come (the lane gave up on
            // it): made durable before it is answered, like the lines stored now.
            return durability.coverEarlierWrites().then(Mono.fromSupplier(() -> {
                if (!abandoned.get()) {
                    writer.next = next;
                    List<Chat> stored = new ArrayList<>(storedHere);
                    stored.addAll(inserted);
                    stored.sort(Comparator.comparingLong(Chat::seq));
                    publish(roomId, stored);
                }
                List<Chat> answers = new ArrayList<>(ids.size());
                ids.forEach(id -> answers.add(resolved.get(id)));
                return answers;
            }));
        }

        /**
         * Other nodes won the room's seqs round after round: the senders are told to try again (their retry is
         * safe). What this batch did store is durable and published first, so every node's subscribers see it live.
         */
        private Mono<List<Chat>> exhausted() {
            log.info("A batch of room {} met another node's writes {} times in a row; its senders are told to try again",
                    roomId, MAX_RECOVERIES);
            Mono<Void> publishedFirst = storedHere.isEmpty() ? Mono.empty()
                    : durability.coverEarlierWrites().then(Mono.fromRunnable(() -> {
                        if (!abandoned.get()) {
                            List<Chat> stored = new ArrayList<>(storedHere);
                            stored.sort(Comparator.comparingLong(Chat::seq));
                            publish(roomId, stored);
                        }
                    }));
            return publishedFirst.then(Mono.error(() -> Refusal.of(Refusal.Reason.BUSY,
                    "The message could not be stored; try again.")));
        }

        private void tried(Chat line) {
            tried.computeIfAbsent(line.id(), id -> new HashSet<>()).add(line.seq());
        }
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
            // Above every line of the room this node saw (another node's too): those are stored, so starting below
            // them could only conflict.
            return Mono.just(Math.max(next, order.seen(roomId) + 1));
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

    /**
     * Durable lines, in seq order, to the room's subscribers: with their seq, by which every node of a cluster puts
     * them in order with the other nodes' lines ({@link LineOrder}); on one node straight to the broker.
     */
    private void publish(String roomId, List<Chat> lines) {
        String topic = RoomTopics.room(roomId);
        lines.forEach(line -> wire.publishInOrder(topic, ChatLine.of(line), line.seq()));
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
