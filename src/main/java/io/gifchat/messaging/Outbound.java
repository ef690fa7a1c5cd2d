package io.gifchat.messaging;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Queue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * One connection's outbound queue, bounded in frames and bytes, written to its channel on the channel's event loop.
 * Publishers on any thread offer into a multi-producer queue without taking a lock; the offer that finds the queue
 * idle schedules one drain on the event loop, which writes everything queued by then and flushes once. While the
 * channel is not writable (the peer is not reading and Netty's buffer is past its high-water mark) nothing more is
 * handed to Netty, so the backlog stays here and counts against the bounds. Overflow policy: the offer is refused
 * and the caller cuts the connection as a slow consumer — nothing waits, nothing else is delayed.
 * <p>
 * It is also the channel handler that hears when the channel becomes writable again: one object per connection
 * instead of a reactive send pipeline, whose queues an idle connection would otherwise hold.
 */
final class Outbound extends ChannelInboundHandlerAdapter implements Runnable {

    /** Frames queued live in the high bits of {@link #queued}, bytes in the low 40. */
    private static final int FRAME_SHIFT = 40;
    private static final long BYTES = (1L << FRAME_SHIFT) - 1;
    private static final Encoded END = new Encoded(new byte[0], true);
    private static final int BATCH = 64;
    private static final int MAX_PER_PASS = 16 * BATCH;
    private static final long CLOSE_GRACE_SECONDS = 5;
    private static final VarHandle QUEUED;
    private static final VarHandle WORK;
    private static final VarHandle FINISHED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            QUEUED = lookup.findVarHandle(Outbound.class, "queued", long.class);
            WORK = lookup.findVarHandle(Outbound.class, "work", int.class);
            FINISHED = lookup.findVarHandle(Outbound.class, "finished", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Channel channel;
    private final Framing framing;
    private final Queue<Encoded> queue = Queues.<Encoded>unboundedMultiproducer().get();
    private final Sinks.Empty<Void> written = Sinks.unsafe().empty();
    private final int maxFrames;
    private final long maxBytes;
    private volatile long queued;
    private volatile int work;
    private volatile boolean finished;
    private volatile long lastWriteNanos = System.nanoTime();
    private boolean parked; // event loop only: waiting for the channel to become writable

    Outbound(Channel channel, int maxFrames, long maxBytes) {
        this(channel, Framing.WEBSOCKET, maxFrames, maxBytes);
    }

    /** @param framing how each queued item becomes bytes on this channel (WebSocket frames, Server-Sent Events) */
    Outbound(Channel channel, Framing framing, int maxFrames, long maxBytes) {
        if (maxBytes > BYTES || maxFrames >= 1 << (63 - FRAME_SHIFT)) {
            throw new IllegalArgumentException("outbound bounds too large: " + maxFrames + " frames, " + maxBytes + " bytes");
        }
        this.channel = channel;
        this.framing = framing;
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    private static long unit(Encoded item) {
        return (1L << FRAME_SHIFT) + item.size();
    }

    /** @return false when the item would exceed a bound (it is not queued) */
    boolean offer(Encoded item) {
        if (finished) {
            return true;
        }
        long unit = unit(item);
        long now = (long) QUEUED.getAndAdd(this, unit) + unit;
        if ((now >>> FRAME_SHIFT) > maxFrames || (now & BYTES) > maxBytes) {
            QUEUED.getAndAdd(this, -unit);
            return false;
        }
        queue.offer(item);
        schedule();
        return true;
    }

    /** Queues a last frame regardless of the bounds (ERROR, the RECEIPT of DISCONNECT), then ends the stream. */
    void finish(Encoded last) {
        if (finished || !FINISHED.compareAndSet(this, false, true)) {
            return; // only the first last frame counts (e.g. a slow-consumer ERROR racing a DISCONNECT)
        }
        if (last != null) {
            QUEUED.getAndAdd(this, unit(last));
            queue.offer(last);
        }
        queue.offer(END);
        // If a drain is already scheduled or running it will reach END; if it is parked on writability, wake it.
        execute((int) WORK.getAndAdd(this, 1) == 0 ? this : this::unpark);
    }

    /**
     * Sends the WebSocket close frame and half-closes the socket, then reads (and discards) whatever the peer still
     * sends until it closes its side; completes when the channel is closed — at the latest when the close grace of
     * the last frame runs out ({@link #finish}). Closing outright while the peer is still sending (the rest of a
     * message we refused) would make the kernel reset the connection, and a reset can destroy the ERROR before
     * the peer has read it.
     */
    Mono<Void> closeAfterPeer(WebSocketCloseStatus status) {
        return Mono.create(closed -> {
            channel.closeFuture().addListener(f -> closed.success());
            channel.writeAndFlush(new CloseWebSocketFrame(status)).addListener(written -> {
                if (channel instanceof DuplexChannel duplex && written.isSuccess()) {
                    duplex.shutdownOutput();
                } else {
                    channel.close();
                }
            });
        });
    }

    /** Drops the TCP connection now: a close frame would wait behind the bytes a slow peer is not reading. */
    void abort() {
        channel.close();
    }

    boolean isFinished() {
        return finished;
    }

    /** Completes once the last frame has been handed to the channel. */
    Mono<Void> written() {
        return written.asMono();
    }

    long lastWriteNanos() {
        return lastWriteNanos;
    }

    private void schedule() {
        if ((int) WORK.getAndAdd(this, 1) == 0) {
            execute(this);
        }
    }

    /** The event loop refuses work only while the server shuts down: this connection is going anyway. */
    private void execute(Runnable task) {
        try {
            channel.eventLoop().execute(task);
        } catch (RejectedExecutionException e) {
            // nothing to write to any more; the publisher goes on to the other subscribers
        }
    }

    @Override
    public void run() {
        drain(1);
    }

    /**
     * The drain loop: {@code missed} is the work this pass accounts for. When the channel stops being writable
     * the loop parks without giving its work back, so offers meanwhile schedule nothing.
     */
    private void drain(int missed) {
        long taken = 0;
        int count = 0;
        for (;;) {
            Encoded item;
            while ((item = channel.isWritable() || finished ? queue.poll() : null) != null) {
                if (item == END) {
                    channel.flush();
                    written.tryEmitEmpty();
                    // The close frame follows; a peer that is not reading would never let it through.
                    channel.eventLoop().schedule(this::abort, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
                    return;
                }
                taken += unit(item);
                channel.write(framing.frame(item, channel.alloc()), channel.voidPromise());
                if (++count % BATCH == 0) {
                    // Written frames leave the bounds as they go, not only at the end of a long pass.
                    QUEUED.getAndAdd(this, -taken);
                    taken = 0;
                    if (count == MAX_PER_PASS) {
                        // Producers are still adding: let the event loop serve its other channels, then go on.
                        flushed(count);
                        int work = missed;
                        execute(() -> drain(work));
                        return;
                    }
                }
            }
            if (taken != 0) {
                QUEUED.getAndAdd(this, -taken);
                taken = 0;
            }
            flushed(count);
            count = 0;
            if (!queue.isEmpty()) {
                if (channel.isWritable()) {
                    continue; // writable again after the flush
                }
                parked = true;
                return;
            }
            missed = (int) WORK.getAndAdd(this, -missed) - missed;
            if (missed == 0) {
                return;
            }
        }
    }

    private void flushed(int count) {
        if (count > 0) {
            lastWriteNanos = System.nanoTime();
            channel.flush();
        }
    }


    private void unpark() {
        if (parked) {
            parked = false;
            drain(work);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (ctx.channel().isWritable()) {
            unpark();
        }
        ctx.fireChannelWritabilityChanged();
    }
}
