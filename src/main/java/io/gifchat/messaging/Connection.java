package io.gifchat.messaging;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

import io.gifchat.broker.Subscriber;
import io.gifchat.broker.Subscription;
import io.gifchat.identity.Identity;
import io.gifchat.limits.Allowance;
import io.gifchat.stomp.StompDecoder;
import io.gifchat.stomp.StompEncoder;
import io.gifchat.stomp.StompFrame;
import io.gifchat.stomp.StompVersion;
import reactor.core.Disposable;

/**
 * One STOMP connection: whose it is, what it negotiated, its subscriptions and its bounded outbound queue.
 * Inbound frames are handled one at a time in order; deliveries arrive from any thread.
 */
public final class Connection implements Subscriber {

    private static final VarHandle ENDED;
    private static final VarHandle UNANSWERED;
    private static final VarHandle WHEN_ANSWERED;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENDED = lookup.findVarHandle(Connection.class, "ended", boolean.class);
            UNANSWERED = lookup.findVarHandle(Connection.class, "unanswered", int.class);
            WHEN_ANSWERED = lookup.findVarHandle(Connection.class, "whenAnswered", Runnable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final long id;
    private final Identity identity;
    private final Outbound outbound;
    private final StompDecoder decoder;
    // Copy-on-write: read on every frame, written rarely, and as small as it gets for an idle connection.
    private volatile Subscription[] subscriptions = Subscription.NONE;
    private volatile boolean ended;
    private final Runnable onSlowConsumer;
    private final Allowance frames;
    private volatile StompVersion version;
    private volatile Disposable timer;
    private volatile long lastReceivedNanos = System.nanoTime();
    // Application SENDs handed over and not answered yet, and what waits for them all (DISCONNECT's RECEIPT).
    private volatile int unanswered;
    private volatile Runnable whenAnswered;
    private volatile boolean disconnecting;

    Connection(long id, Identity identity, Outbound outbound, StompDecoder decoder, Runnable onSlowConsumer,
               Allowance frames) {
        this.id = id;
        this.identity = identity;
        this.outbound = outbound;
        this.decoder = decoder;
        this.onSlowConsumer = onSlowConsumer;
        this.frames = frames;
    }

    /** Spends one of the connection's frames budget; false when it is spent. */
    boolean spendFrame() {
        return frames.trySpend();
    }

    /** Unique among this server's connections (the CONNECTED frame's {@code session}). */
    public String id() {
        return Long.toString(id, 36);
    }

    public Identity identity() {
        return identity;
    }

    @Override
    public String user() {
        return identity.id();
    }

    /** Null until CONNECTED. */
    @Override
    public StompVersion version() {
        return version;
    }

    public boolean isConnected() {
        return version != null;
    }

    @Override
    public void deliver(byte[] frame, boolean text) {
        if (!outbound.offer(new Encoded(frame, text))) {
            slowConsumer();
        }
    }

    /** Sends a server frame (CONNECTED, RECEIPT) in order with the deliveries. */
    void send(StompFrame frame) {
        if (!outbound.offer(new Encoded(StompEncoder.encode(frame, versionOrDefault()), true))) {
            slowConsumer();
        }
    }

    /** Sends a last frame (ERROR, or the RECEIPT of DISCONNECT) and ends the connection once it is written. */
    void sendLast(StompFrame frame) {
        outbound.finish(frame == null ? null : new Encoded(StompEncoder.encode(frame, versionOrDefault()), true));
    }

    void heartbeat() {
        outbound.offer(Encoded.HEARTBEAT);
    }

    private void slowConsumer() {
        if (!outbound.isFinished()) {
            sendLast(StompFrame.error("slow consumer", null));
            onSlowConsumer.run();
            // The client is not reading, so the ERROR may never be written: drop the connection now.
            outbound.abort();
        }
    }

    private StompVersion versionOrDefault() {
        StompVersion v = version;
        return v == null ? StompVersion.V1_2 : v;
    }

    void connected(StompVersion negotiated) {
        this.version = negotiated;
        decoder.setVersion(negotiated);
    }

    StompDecoder decoder() {
        return decoder;
    }

    Outbound outbound() {
        return outbound;
    }

    /** Null when the connection has no subscription with this id. */
    Subscription subscription(String id) {
        for (Subscription s : subscriptions) {
            if (s.id().equals(id)) {
                return s;
            }
        }
        return null;
    }

    int subscriptionCount() {
        return subscriptions.length;
    }

    public List<Subscription> currentSubscriptions() {
        return List.of(subscriptions);
    }

    /** Whether this connection holds a subscription to exactly this destination. */
    public boolean subscribes(String destination) {
        for (Subscription s : subscriptions) {
            if (s.destination().equals(destination)) {
                return true;
            }
        }
        return false;
    }

    /** @return false when the connection already has a subscription with the same id, or has ended */
    synchronized boolean add(Subscription subscription) {
        // end() sets the flag before removeAll() takes this monitor: a subscription is either taken by
        // removeAll() or refused here, never left behind on an ended connection.
        if (ended || subscription(subscription.id()) != null) {
            return false;
        }
        subscriptions = Subscription.with(subscriptions, subscription);
        return true;
    }

    /** Removes the subscription with this id; null when there was none. */
    synchronized Subscription remove(String id) {
        Subscription found = subscription(id);
        if (found != null) {
            remove(found);
        }
        return found;
    }

    /** @return false when this exact subscription is no longer the connection's (already ended) */
    synchronized boolean remove(Subscription subscription) {
        Subscription[] current = subscriptions;
        subscriptions = Subscription.without(current, subscription);
        return subscriptions != current;
    }

    /** Removes and returns every subscription. */
    synchronized List<Subscription> removeAll() {
        List<Subscription> all = List.of(subscriptions);
        subscriptions = Subscription.NONE;
        return all;
    }

    /** @return false when {@code max} application SENDs are already waiting for their answers */
    boolean beginAnswer(int max) {
        for (;;) {
            int now = unanswered;
            if (now >= max) {
                return false;
            }
            if (UNANSWERED.compareAndSet(this, now, now + 1)) {
                return true;
            }
        }
    }

    void endAnswer() {
        if ((int) UNANSWERED.getAndAdd(this, -1) == 1) {
            runWhenAnswered();
        }
    }

    /**
     * Runs {@code action} once every application SEND handed over so far is answered: now, or when the last one is.
     * Several may wait (DISCONNECT's RECEIPT, a shutdown's drain); they run in the order they were added.
     */
    void whenAnswered(Runnable action) {
        for (;;) {
            Runnable waiting = whenAnswered;
            Runnable next = waiting == null ? action : () -> {
                waiting.run();
                action.run();
            };
            if (WHEN_ANSWERED.compareAndSet(this, waiting, next)) {
                break;
            }
        }
        if (unanswered == 0) {
            runWhenAnswered();
        }
    }

    private void runWhenAnswered() {
        Runnable action = (Runnable) WHEN_ANSWERED.getAndSet(this, (Runnable) null);
        if (action != null) {
            action.run();
        }
    }

    /** DISCONNECT was received: nothing after it is handled while its RECEIPT waits. */
    void disconnecting() {
        disconnecting = true;
    }

    boolean isDisconnecting() {
        return disconnecting;
    }

    /** True the first time only: disconnect handling runs once however the connection ends. */
    boolean end() {
        return !ended && ENDED.compareAndSet(this, false, true);
    }

    boolean isEnded() {
        return ended;
    }

    /** Replaces (and cancels) the connection's current timer: the CONNECT deadline, then heart-beats. */
    void timer(Disposable next) {
        Disposable previous = timer;
        timer = next;
        if (previous != null) {
            previous.dispose();
        }
    }

    void received() {
        lastReceivedNanos = System.nanoTime();
    }

    long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    long lastSentNanos() {
        return outbound.lastWriteNanos();
    }

    @Override
    public String toString() {
        return "Connection[" + id() + ", " + identity.name() + "]";
    }
}
