package io.gifchat.chat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.LongStream;

import io.gifchat.identity.Identity;
import io.gifchat.room.RoomTopics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A room's reorder buffer on one node of a cluster: lines from several nodes delivered in seq order, each once, a
 * gap filled from the store after the wait (or skipped when the store has no such line), nothing stored before the
 * node listened, a bounded buffer. Time is virtual: the wait passes when the test says so.
 */
class LineOrderTest {

    static final String ROOM = "r1";
    static final String TOPIC = RoomTopics.room(ROOM);
    static final Duration WAIT = Duration.ofMillis(150);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    static final Identity WHO = new Identity("i1", "Quiet Otter 42", "#3d7a99");

    /** The room's stored lines, and what the buffer asked of them. */
    static final class Store implements LineOrder.StoredLines {
        final TreeMap<Long, Chat> lines = new TreeMap<>();
        final AtomicInteger reads = new AtomicInteger();
        volatile Function<String, Mono<Long>> lastSeq = room -> Mono.fromSupplier(() -> lines.isEmpty() ? 0L : lines.lastKey());
        volatile boolean failing;

        Store storing(long... seqs) {
            for (long seq : seqs) {
                lines.put(seq, Chat.text("id" + seq, ROOM, seq, WHO, "line " + seq, null, Instant.EPOCH));
            }
            return this;
        }

        @Override
        public Mono<Long> lastSeq(String roomId) {
            return lastSeq.apply(roomId);
        }

        @Override
        public Flux<Chat> between(String roomId, long from, long to, int limit) {
            reads.incrementAndGet();
            if (failing) {
                return Flux.error(new IllegalStateException("store unreachable"));
            }
            return Flux.fromIterable(List.copyOf(lines.subMap(from, true, to, true).values())).take(limit);
        }
    }

    final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    final Store store = new Store();
    final List<String> delivered = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopTime() {
        time.dispose();
    }

    LineOrder order(int maxBuffered) {
        return new LineOrder(store, line -> ("stored " + line.seq()).getBytes(StandardCharsets.UTF_8), WAIT,
                READ_TIMEOUT, maxBuffered, time);
    }

    LineOrder opened(int maxBuffered) {
        LineOrder order = order(maxBuffered);
        order.opened(TOPIC, (destination, contentType, body) -> {
            assertThat(destination).isEqualTo(TOPIC);
            delivered.add(new String(body, StandardCharsets.UTF_8));
        });
        return order;
    }

    static void arrive(LineOrder order, long... seqs) {
        for (long seq : seqs) {
            order.arrived(TOPIC, seq, "application/json", ("live " + seq).getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void ordersRoomTopicsOnly() {
        LineOrder order = order(10);
        assertThat(order.orders(TOPIC)).isTrue();
        assertThat(order.orders(RoomTopics.typing(ROOM))).isFalse();
        assertThat(order.orders(RoomTopics.LOBBY)).isFalse();
        assertThat(order.orders(RoomTopics.room(""))).isFalse();
    }

    @Test
    void linesFromTwoNodesArrivingOutOfOrderAreDeliveredInSeqOrder() {
        LineOrder order = opened(100);
        // Node A writes 1 and 3, node B 2 and 4; B's lines overtake A's.
        arrive(order, 2, 1, 4, 3, 5);
        assertThat(delivered).containsExactly("live 1", "live 2", "live 3", "live 4", "live 5");
        assertThat(store.reads).as("no gap lasted long enough to read the store").hasValue(0);
    }

    @Test
    void duplicatesAreDeliveredOnce() {
        LineOrder order = opened(100);
        arrive(order, 1, 1, 3, 3, 2, 1, 3, 2, 4);
        assertThat(delivered).containsExactly("live 1", "live 2", "live 3", "live 4");
    }

    @Test
    void aLineWaitsForAnEarlierOneOnlyAsLongAsTheReorderWait() {
        LineOrder order = opened(100);
        store.storing(1, 2, 3);
        arrive(order, 1, 3);
        assertThat(delivered).containsExactly("live 1");

        time.advanceTimeBy(WAIT.minusMillis(1));
        assertThat(delivered).as("still waiting for 2 to arrive").containsExactly("live 1");

        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(delivered).as("2 read from the store, encoded as the log publishes it")
                .containsExactly("live 1", "stored 2", "live 3");
        arrive(order, 2);
        assertThat(delivered).as("2 arriving late after all is not delivered again").hasSize(3);
    }

    @Test
    void aLineArrivingWithinTheWaitClosesTheGapWithoutTheStore() {
        LineOrder order = opened(100);
        store.storing(1, 2, 3);
        arrive(order, 1, 3);
        time.advanceTimeBy(WAIT.minusMillis(10));
        arrive(order, 2);
        time.advanceTimeBy(WAIT.multipliedBy(3));
        assertThat(delivered).containsExactly("live 1", "live 2", "live 3");
        assertThat(store.reads).hasValue(0);
    }

    @Test
    void aSeqTheStoreDoesNotHaveIsSkipped() {
        LineOrder order = opened(100);
        store.storing(1, 3, 4); // 2 was never stored
        arrive(order, 1, 4, 3);
        time.advanceTimeBy(WAIT);
        assertThat(delivered).containsExactly("live 1", "live 3", "live 4");
        arrive(order, 5);
        assertThat(delivered).as("the room goes on after the skipped seq").endsWith("live 5");
    }

    @Test
    void aStoreThatCannotBeReadSkipsTheGapRatherThanStallTheRoom() {
        LineOrder order = opened(100);
        store.storing(1, 2, 3);
        store.failing = true;
        arrive(order, 1, 3);
        time.advanceTimeBy(WAIT);
        assertThat(delivered).containsExactly("live 1", "live 3");
        arrive(order, 4);
        assertThat(delivered).endsWith("live 4");
    }

    @Test
    void linesStoredBeforeTheNodeListenedAreNotDelivered() {
        store.storing(1, 2, 3, 4, 5);
        LineOrder order = opened(100);
        arrive(order, 5, 3); // published before this node listened, arriving late
        arrive(order, 6);
        assertThat(delivered).containsExactly("live 6");
        time.advanceTimeBy(WAIT.multipliedBy(3));
        assertThat(delivered).containsExactly("live 6");
    }

    @Test
    void linesArrivingWhileTheLastStoredSeqIsReadWaitForIt() {
        store.storing(1, 2, 3, 4, 5);
        Sinks.One<Long> last = Sinks.one();
        store.lastSeq = room -> last.asMono();
        LineOrder order = opened(100);
        arrive(order, 7, 6);
        assertThat(delivered).as("nothing before the room's last stored seq is known").isEmpty();
        last.tryEmitValue(5L);
        assertThat(delivered).containsExactly("live 6", "live 7");
    }

    @Test
    void aLineStoredAfterTheOpeningReadButArrivingLateIsStillDelivered() {
        store.storing(1, 2, 3);
        Sinks.One<Long> last = Sinks.one();
        store.lastSeq = room -> last.asMono();
        LineOrder order = opened(100);
        arrive(order, 5); // 4 and 5 were published after this node listened; 4 is slower
        last.tryEmitValue(3L);
        assertThat(delivered).isEmpty();
        arrive(order, 4);
        assertThat(delivered).containsExactly("live 4", "live 5");
    }

    @Test
    void whenTheLastStoredSeqCannotBeReadTheFirstLineToArriveStartsTheRoom() {
        store.lastSeq = room -> Mono.never();
        LineOrder order = opened(100);
        time.advanceTimeBy(READ_TIMEOUT);
        arrive(order, 9, 10);
        assertThat(delivered).containsExactly("live 9", "live 10");
    }

    @Test
    void aFullBufferReadsTheGapFromTheStoreAtOnce() {
        LineOrder order = opened(3);
        store.storing(LongStream.rangeClosed(1, 8).toArray());
        arrive(order, 1, 3, 4, 5);
        assertThat(delivered).as("3 lines wait for 2").containsExactly("live 1");
        arrive(order, 6); // one more than the buffer holds: not kept, read with the gap
        assertThat(delivered).as("without waiting for the reorder wait")
                .containsExactly("live 1", "stored 2", "live 3", "live 4", "live 5", "stored 6");
        arrive(order, 8, 7);
        assertThat(delivered).endsWith("live 7", "live 8");
    }

    @Test
    void aFullBufferWithMoreMissingThanOneReadTakesIsReadInTurns() {
        LineOrder order = opened(3);
        store.storing(LongStream.rangeClosed(1, 30).toArray());
        arrive(order, 1, 20, 25, 29, 30);
        List<String> expected = new ArrayList<>();
        LongStream.rangeClosed(1, 30).forEach(seq -> expected.add(
                (seq == 1 || seq == 20 || seq == 25 || seq == 29 ? "live " : "stored ") + seq));
        assertThat(delivered).containsExactlyElementsOf(expected);
    }

    @Test
    void aClosedRoomIsForgotten() {
        LineOrder order = opened(100);
        store.storing(1, 2, 3);
        arrive(order, 1, 3);
        assertThat(order.seen(ROOM)).isEqualTo(3);
        order.closed(TOPIC);
        time.advanceTimeBy(WAIT.multipliedBy(3));
        arrive(order, 2, 4);
        assertThat(delivered).containsExactly("live 1");
        assertThat(store.reads).hasValue(0);
        assertThat(order.seen(ROOM)).isZero();
    }

    @Test
    void seenIsTheHighestSeqThatArrivedBufferedOrNot() {
        LineOrder order = opened(100);
        assertThat(order.seen(ROOM)).isZero();
        arrive(order, 1, 2, 7);
        assertThat(order.seen(ROOM)).isEqualTo(7);
        arrive(order, 3);
        assertThat(order.seen(ROOM)).isEqualTo(7);
        assertThat(order.seen("another room")).isZero();
    }

    @Test
    void linesArrivingOnManyThreadsAtOnceAreDeliveredInOrderEachOnce() throws Exception {
        // Real threads and real time: every seq arrives twice (two nodes' copies), shuffled, from eight threads.
        int count = 5_000;
        List<Long> seqs = new ArrayList<>();
        LongStream.rangeClosed(1, count).forEach(seq -> {
            seqs.add(seq);
            seqs.add(seq);
        });
        Collections.shuffle(seqs);
        List<Long> order = Collections.synchronizedList(new ArrayList<>());
        Map<Long, Boolean> twice = new ConcurrentHashMap<>();
        LineOrder lines = new LineOrder(store, line -> new byte[0], Duration.ofSeconds(30), READ_TIMEOUT, count,
                Schedulers.parallel());
        lines.opened(TOPIC, (destination, contentType, body) -> {
            long seq = Long.parseLong(new String(body, StandardCharsets.UTF_8));
            if (twice.put(seq, true) != null) {
                order.add(-seq);
            }
            order.add(seq);
        });
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            for (int t = 0; t < 8; t++) {
                List<Long> part = seqs.subList(t * seqs.size() / 8, (t + 1) * seqs.size() / 8);
                threads.submit(() -> {
                    start.await();
                    part.forEach(seq -> lines.arrived(TOPIC, seq, "application/json",
                            Long.toString(seq).getBytes(StandardCharsets.UTF_8)));
                    return null;
                });
            }
            start.countDown();
            await().atMost(Duration.ofSeconds(10)).until(() -> order.size() >= count);
        } finally {
            threads.shutdownNow();
            assertThat(threads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(order).containsExactlyElementsOf(LongStream.rangeClosed(1, count).boxed().toList());
        assertThat(store.reads).as("every line arrived: nothing read from the store").hasValue(0);
    }
}
