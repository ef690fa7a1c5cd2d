package io.gifchat.messaging;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.gifchat.broker.Subscriber;
import io.gifchat.broker.Subscription;
import io.gifchat.identity.Identity;
import io.gifchat.stomp.StompDecoder;
import io.gifchat.stomp.StompEncoder;
import io.gifchat.stomp.StompFrame;
import io.gifchat.stomp.StompVersion;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * One STOMP connection: whose it is, what it negotiated, its subscriptions and its bounded outbound queue.
 * Inbound frames are handled one at a time in order; deliveries arrive from any thread.
 */
public final class Connection implements Subscriber {

    private final String id;
    private final Identity identity;
    private final Outbound outbound;
    private final StompDecoder decoder;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final Sinks.One<String> cut = Sinks.one();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final Runnable onSlowConsumer;
    private volatile StompVersion version;
    private volatile Disposable timer;
    private volatile long lastReceivedNanos = System.nanoTime();
    private volatile long lastSentNanos = System.nanoTime();

    Connection(String id, Identity identity, StompProperties properties, Runnable onSlowConsumer) {
        this.id = id;
        this.identity = identity;
        this.outbound = new Outbound(properties.outboundFrames(), properties.outboundSize().toBytes());
        this.decoder = new StompDecoder(properties.limits());
        this.onSlowConsumer = onSlowConsumer;
    }

    public String id() {
        return id;
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
            // The client is not reading, so the ERROR may never be written: the endpoint closes the socket.
            cut.tryEmitValue("slow consumer");
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

    /** Completes when the connection must be closed now, without waiting for its queue to drain. */
    Mono<String> cut() {
        return cut.asMono();
    }

    Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    public Collection<Subscription> currentSubscriptions() {
        return subscriptions.values();
    }

    /** True the first time only: disconnect handling runs once however the connection ends. */
    boolean end() {
        return ended.compareAndSet(false, true);
    }

    boolean isEnded() {
        return ended.get();
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

    void sent() {
        lastSentNanos = System.nanoTime();
    }

    long lastReceivedNanos() {
        return lastReceivedNanos;
    }

    long lastSentNanos() {
        return lastSentNanos;
    }

    @Override
    public String toString() {
        return "Connection[" + id + ", " + identity.name() + "]";
    }
}
