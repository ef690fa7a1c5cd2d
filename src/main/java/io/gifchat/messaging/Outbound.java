package io.gifchat.messaging;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One connection's outbound queue, bounded in frames and bytes. Publishers on any thread offer into a
 * multi-producer queue without taking a lock; the WebSocket send drains it in order. Overflow policy: the offer is
 * refused and the caller cuts the connection as a slow consumer — nothing waits, nothing else is delayed.
 */
final class Outbound {

    private final Queue<Encoded> queue = Queues.<Encoded>unboundedMultiproducer().get();
    // Unsafe is right here: the MPSC queue makes concurrent emission safe, and the sink's drain loop is
    // guarded by its own work-in-progress counter; the serializing wrapper would refuse concurrent emitters.
    private final Sinks.Many<Encoded> sink = Sinks.unsafe().many().unicast().onBackpressureBuffer(queue);
    private final AtomicInteger frames = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private final int maxFrames;
    private final long maxBytes;
    private volatile boolean finished;

    Outbound(int maxFrames, long maxBytes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /** @return false when the item would exceed a bound (it is not queued) */
    boolean offer(Encoded item) {
        if (finished) {
            return true;
        }
        int size = item.size();
        int queuedFrames = frames.incrementAndGet();
        long queuedBytes = bytes.addAndGet(size);
        if (queuedFrames > maxFrames || queuedBytes > maxBytes) {
            frames.decrementAndGet();
            bytes.addAndGet(-size);
            return false;
        }
        sink.tryEmitNext(item);
        return true;
    }

    /** Queues a last frame regardless of the bounds (ERROR, the RECEIPT of DISCONNECT), then ends the stream. */
    void finish(Encoded last) {
        if (finished) {
            return;
        }
        finished = true;
        if (last != null) {
            frames.incrementAndGet();
            bytes.addAndGet(last.size());
            sink.tryEmitNext(last);
        }
        sink.tryEmitComplete();
    }

    boolean isFinished() {
        return finished;
    }

    /** The items in order; each leaves the bounds' accounting as it is taken for writing. */
    Flux<Encoded> items() {
        return sink.asFlux().doOnNext(item -> {
            frames.decrementAndGet();
            bytes.addAndGet(-item.size());
        });
    }
}
