package io.gifchat.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.gifchat.cluster.ClusterProperties;
import io.gifchat.cluster.Ordering;
import io.gifchat.messaging.WireJson;
import io.gifchat.room.RoomTopics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.PageRequest;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * A room's chat lines in seq order for this node's subscribers, in a cluster: every node writes lines of the room
 * (each for its own senders) and publishes them once durable, so lines from two nodes can arrive here in either
 * order. Each room this node listens to has a reorder buffer: the line with the next expected seq is delivered at
 * once (with whatever buffered lines follow it), an earlier or repeated one is dropped, a later one waits.
 * <p>
 * A gap waits {@code gifchat.cluster.reorder-wait} for its line to arrive, then is read from the store: every line
 * that arrives was stored (and made durable) before it was published, and stored seqs are contiguous (a writer
 * inserts seq k+1 only once k is stored, see {@link RoomLog}), so what the store does not have even then was never
 * written — it is skipped, and a room never stalls. A store that cannot be read skips the gap too: the clients'
 * catch-up by seq reads it when the store answers again.
 * <p>
 * Bounded: at most {@link #MAX_BUFFERED} lines wait per room; one more is not kept (it is stored, so it is not
 * lost) and the gap up to it is read from the store at once. A room's state is dropped when nobody here listens to
 * it any more. Only cluster mode calls this ({@link io.gifchat.cluster.RedisFanout}); on one node the room's log is
 * the only writer and publishes in order already, and {@link #seen} stays 0.
 * <p>
 * Threads: lines arrive on Redis's event loop and on the room log's threads at once, and store reads end on the
 * driver's. Each room has its own monitor (rooms never contend), held while a line is delivered — the delivery
 * only hands one encoded message to the broker's lock-free queues, and delivering outside the monitor could
 * reorder two lines again — but never across a store read, which runs asynchronously with a timeout.
 */
@Component
class LineOrder implements Ordering {

    /** Lines that may wait for an earlier one per room. */
    static final int MAX_BUFFERED = 1_000;

    private static final Logger log = LoggerFactory.getLogger(LineOrder.class);

    /** What the buffer needs of the store. */
    interface StoredLines {

        /** The seq of the room's last stored line; 0 when it has none. */
        Mono<Long> lastSeq(String roomId);

        /** The room's lines from {@code from} to {@code to} (both included), in seq order, at most {@code limit}. */
        Flux<Chat> between(String roomId, long from, long to, int limit);
    }

    /** A line as it arrived: ready to deliver. */
    private record Pending(String contentType, byte[] body) {
    }

    private final ConcurrentHashMap<String, RoomLines> rooms = new ConcurrentHashMap<>();
    private final StoredLines store;
    private final Function<Chat, byte[]> encode;
    private final Duration wait;
    private final Duration readTimeout;
    private final int maxBuffered;
    private final Scheduler timers;
    private volatile boolean readsFailing;

    /**
     * Lines read from the store are encoded exactly as the room log publishes them: {@link ChatLine} through
     * {@link WireJson} (not {@code Wire}, whose fan-out hands the lines to this orderer: a bean cycle).
     */
    @Autowired
    LineOrder(ChatRepository chats, WireJson json, ClusterProperties cluster, ChatProperties chat) {
        this(repositoryLines(chats), line -> json.json(ChatLine.of(line)), cluster.reorderWait(), chat.appendTimeout(),
                MAX_BUFFERED, Schedulers.parallel());
    }

    LineOrder(StoredLines store, Function<Chat, byte[]> encode, Duration wait, Duration readTimeout, int maxBuffered,
              Scheduler timers) {
        this.store = store;
        this.encode = encode;
        this.wait = wait;
        this.readTimeout = readTimeout;
        this.maxBuffered = maxBuffered;
        this.timers = timers;
    }

    private static StoredLines repositoryLines(ChatRepository chats) {
        return new StoredLines() {
            @Override
            public Mono<Long> lastSeq(String roomId) {
                return chats.findFirstByRoomOrderBySeqDesc(roomId).map(Chat::seq).defaultIfEmpty(0L);
            }

            @Override
            public Flux<Chat> between(String roomId, long from, long to, int limit) {
                return chats.findByRoomAndSeqGreaterThanOrderBySeqAsc(roomId, from - 1, PageRequest.of(0, limit))
                        .takeWhile(line -> line.seq() <= to);
            }
        };
    }

    /** A room's topic, {@code /topic/chat/{roomId}} (not its typing signals). */
    @Override
    public boolean orders(String destination) {
        return roomOf(destination) != null;
    }

    @Override
    public void opened(String destination, Delivery delivery) {
        String roomId = roomOf(destination);
        if (roomId == null) {
            return;
        }
        RoomLines lines = new RoomLines(destination, roomId, delivery);
        RoomLines before = rooms.put(destination, lines);
        if (before != null) {
            before.forget();
        }
        // What the room's last stored line is decides where live lines start; lines arriving meanwhile wait.
        store.lastSeq(roomId).defaultIfEmpty(0L).timeout(readTimeout, timers).subscribe(
                last -> {
                    readsWork();
                    lines.open(last);
                },
                error -> {
                    readFailed(error);
                    lines.open(-1);
                });
    }

    @Override
    public void arrived(String destination, long order, String contentType, byte[] body) {
        RoomLines lines = rooms.get(destination);
        if (lines != null) { // else nobody here listens (any more): nothing to deliver
            lines.arrived(order, new Pending(contentType, body));
        }
    }

    @Override
    public void closed(String destination) {
        RoomLines lines = rooms.remove(destination);
        if (lines != null) {
            lines.forget();
        }
    }

    /**
     * The highest seq of the room that arrived here (this node's lines and the others'); 0 when this node does not
     * listen to the room. Every line that arrived is stored, so the room's writer can start its next batch above
     * it: its insert then conflicts only with a batch written at the same moment.
     */
    long seen(String roomId) {
        RoomLines lines = rooms.get(RoomTopics.room(roomId));
        return lines == null ? 0 : lines.seen;
    }

    /** The room id of {@code /topic/chat/{id}}, or null for any other destination. */
    static String roomOf(String destination) {
        String prefix = RoomTopics.room("");
        if (!destination.startsWith(prefix)) {
            return null;
        }
        String roomId = destination.substring(prefix.length());
        return roomId.isEmpty() || roomId.indexOf('/') >= 0 ? null : roomId;
    }

    private void readFailed(Throwable error) {
        if (!readsFailing) {
            readsFailing = true;
            log.warn("Reading chat lines to put them in order fails ({}); gaps are skipped, clients catch up by seq",
                    error.toString());
        }
    }

    private void readsWork() {
        if (readsFailing) {
            readsFailing = false;
            log.info("Reading chat lines to put them in order works again");
        }
    }

    /** One room's reorder buffer; everything but {@link #seen} under its monitor. */
    private final class RoomLines {
        final String destination;
        final String roomId;
        final Delivery delivery;
        final TreeMap<Long, Pending> buffered = new TreeMap<>();
        volatile long seen;
        /** The room's last stored seq is being read: everything waits. */
        boolean opening = true;
        /** Nobody listens any more: late store reads and timers find nothing to do. */
        boolean forgotten;
        /** The seq delivered next; 0: not known (the store could not be read), the first line to arrive. */
        long next;
        /** The highest seq that arrived while the buffer was full (read from the store instead); 0: none. */
        long dropped;
        /** A read of the gap from the store is under way: its end decides what comes next. */
        boolean filling;
        /** The gap the timer waits for (the value of next when it was started), and which timer is current. */
        long timerFor;
        int timerGeneration;
        Disposable timer;

        RoomLines(String destination, String roomId, Delivery delivery) {
            this.destination = destination;
            this.roomId = roomId;
            this.delivery = delivery;
        }

        /**
         * The room's last stored seq is known ({@code last}; -1: the store could not say). A line stored before
         * this node listened is history (the page and the clients' catch-up have it), not live: live lines start
         * after it — or with a line that arrived meanwhile and is older still (published after this node listened).
         */
        synchronized void open(long last) {
            if (forgotten || !opening) {
                return;
            }
            opening = false;
            Long lowest = buffered.isEmpty() ? null : buffered.firstKey();
            if (last < 0) {
                next = lowest == null ? 0 : lowest;
            } else {
                next = lowest == null ? last + 1 : Math.min(last + 1, lowest);
            }
            drain();
            watch();
        }

        synchronized void arrived(long seq, Pending line) {
            if (forgotten) {
                return;
            }
            if (seq > seen) {
                seen = seq;
            }
            if (!opening) {
                if (next == 0) {
                    next = seq;
                }
                if (seq < next) {
                    return; // delivered already, or older than what this node listens to
                }
                if (seq == next) {
                    deliver(line);
                    next++;
                    drain();
                    watch();
                    return;
                }
            }
            if (buffered.containsKey(seq)) {
                return;
            }
            if (buffered.size() < maxBuffered) {
                buffered.put(seq, line);
            } else {
                dropped = Math.max(dropped, seq); // overflow: stored, so read from the store with the gap
            }
            if (!opening) {
                watch();
            }
        }

        synchronized void forget() {
            forgotten = true;
            stopTimer();
            buffered.clear();
        }

        /** Delivers the buffered lines that follow on from {@link #next}. */
        private void drain() {
            for (Map.Entry<Long, Pending> first = buffered.firstEntry(); first != null && first.getKey() <= next;
                 first = buffered.firstEntry()) {
                buffered.pollFirstEntry();
                if (first.getKey() == next) {
                    deliver(first.getValue());
                    next++;
                }
            }
        }

        /** Decides what the gap before the buffered lines (if any) waits for: nothing, its timer, or the store now. */
        private void watch() {
            if (dropped != 0 && dropped < next) {
                dropped = 0;
            }
            if (filling) {
                return; // its end watches again
            }
            if (dropped != 0) {
                fill();
            } else if (buffered.isEmpty()) {
                stopTimer();
            } else if (timer == null || timerFor != next) {
                startTimer();
            }
        }

        private void startTimer() {
            stopTimer();
            int generation = ++timerGeneration;
            timerFor = next;
            timer = timers.schedule(() -> waited(generation), wait.toNanos(), TimeUnit.NANOSECONDS);
        }

        private void stopTimer() {
            timerGeneration++;
            if (timer != null) {
                timer.dispose();
                timer = null;
            }
        }

        /** The gap's wait is over: it is still open (a line that closes it restarts or stops the timer). */
        synchronized void waited(int generation) {
            if (forgotten || generation != timerGeneration) {
                return;
            }
            timer = null;
            if (!filling && !buffered.isEmpty()) {
                fill();
            }
        }

        /** Reads the missing lines, from {@link #next} up to the first buffered one (or the highest dropped one). */
        private void fill() {
            stopTimer();
            if (dropped != 0 && dropped < next) {
                dropped = 0;
            }
            filling = true;
            long from = next;
            long to = dropped != 0 ? dropped : buffered.firstKey() - 1;
            int limit = (int) Math.min(to - from + 1, maxBuffered);
            // Nothing after the subscription: a store that answers at once re-enters this monitor from here.
            store.between(roomId, from, to, limit).collectList().timeout(readTimeout, timers).subscribe(
                    found -> {
                        readsWork();
                        filled(from, to, limit, found);
                    },
                    error -> {
                        readFailed(error);
                        filled(from, to, limit, null);
                    });
        }

        /**
         * The store's lines of the gap ({@code found}; null: it could not be read): delivered in order with the
         * buffered ones, and the seqs nobody has skipped. A read cut at its limit settles the gap up to its last line.
         */
        synchronized void filled(long from, long to, int limit, List<Chat> found) {
            filling = false;
            if (forgotten) {
                return;
            }
            long settled = to;
            if (found != null) {
                if (!found.isEmpty() && found.size() >= limit) {
                    settled = found.get(found.size() - 1).seq();
                }
                for (Chat line : found) {
                    if (line.seq() >= next && line.seq() <= settled) {
                        buffered.putIfAbsent(line.seq(), new Pending(WireJson.CONTENT_TYPE, encode.apply(line)));
                    }
                }
            }
            while (next <= settled) {
                Map.Entry<Long, Pending> first = buffered.firstEntry();
                long upTo = first == null || first.getKey() > settled ? settled + 1 : first.getKey();
                if (upTo > next) {
                    log.debug("Room {}: seqs {}..{} are not in the store{}; skipped", roomId, next, upTo - 1,
                            found == null ? " (it could not be read)" : "");
                    next = upTo;
                }
                if (first != null && first.getKey() <= settled) {
                    buffered.pollFirstEntry();
                    if (first.getKey() == next) {
                        deliver(first.getValue());
                        next++;
                    }
                }
            }
            drain();
            watch();
        }

        private void deliver(Pending line) {
            try {
                delivery.deliver(destination, line.contentType(), line.body());
            } catch (RuntimeException e) {
                log.warn("Delivering a line of room {} failed", roomId, e);
            }
        }
    }
}
