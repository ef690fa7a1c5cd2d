package io.gifchat.messaging;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.gifchat.stomp.HeartBeat;
import io.gifchat.stomp.StompFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Timers of a connection: the CONNECT deadline, then the negotiated heart-beats. The server sends an EOL when it
 * has written nothing for about the negotiated interval, and ends a connection that has sent nothing for more
 * than twice the client's negotiated interval (the spec leaves the error margin to the server).
 *
 * <p>Besides, one sweep for all connections ends any connection that has sent nothing at all — no frame, no
 * heart-beat EOL — for {@code idle-timeout}: one that negotiated no heart-beats would otherwise hold its socket,
 * its subscriptions and its place in a room forever once its client is gone without a FIN (a laptop lid closed, a
 * NAT forgetting it), and one that negotiated absurdly rare ones is held to the same bound. A sweep rather than a
 * timer per connection: an idle connection should cost nothing more than it does.
 */
@Component
class Heartbeats implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);

    private static final long MIN_TICK_MILLIS = 50;
    private static final long MIN_SWEEP_MILLIS = 10;
    private static final long MAX_SWEEP_MILLIS = 1000;

    private final Scheduler timer = Schedulers.parallel();
    private final Duration connectTimeout;
    private final Connections connections;
    private final long idleNanos;
    private final Disposable sweep;

    Heartbeats(StompProperties properties, Connections connections) {
        this.connectTimeout = properties.connectTimeout();
        this.connections = connections;
        Duration idle = properties.idleTimeout();
        this.idleNanos = idle.toNanos();
        if (idle.isZero()) {
            this.sweep = null;
        } else {
            // Precise to a tenth of the timeout, and never more than a second late.
            long every = Math.max(MIN_SWEEP_MILLIS, Math.min(MAX_SWEEP_MILLIS, idle.toMillis() / 10));
            this.sweep = timer.schedulePeriodically(this::closeIdle, every, every, TimeUnit.MILLISECONDS);
        }
    }

    void awaitConnect(Connection connection) {
        connection.timer(timer.schedule(() -> {
            if (!connection.isConnected()) {
                connection.sendLast(StompFrame.error("CONNECT timeout", null));
            }
        }, connectTimeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Intervals are at most {@link HeartBeat#MAX_MILLIS}, so none of the arithmetic below can overflow. */
    void start(Connection connection, HeartBeat.Schedule schedule) {
        if (!schedule.sends() && !schedule.expects()) {
            connection.timer(null);
            return;
        }
        long send = schedule.sendEveryMillis();
        long expect = schedule.expectEveryMillis();
        long tick = Math.max(MIN_TICK_MILLIS, Math.min(send > 0 ? send : Long.MAX_VALUE, expect > 0 ? expect : Long.MAX_VALUE) / 2);
        long sendNanos = TimeUnit.MILLISECONDS.toNanos(send) / 2;
        long silenceNanos = TimeUnit.MILLISECONDS.toNanos(expect) * 2;
        connection.timer(timer.schedulePeriodically(() -> {
            long now = System.nanoTime();
            if (expect > 0 && now - connection.lastReceivedNanos() > silenceNanos) {
                connection.sendLast(StompFrame.error("heart-beat timeout", null));
            } else if (send > 0 && now - connection.lastSentNanos() >= sendNanos) {
                connection.heartbeat();
            }
        }, tick, tick, TimeUnit.MILLISECONDS));
    }

    void stop(Connection connection) {
        connection.timer(null);
    }

    private void closeIdle() {
        long now = System.nanoTime();
        for (Connection connection : connections.all()) {
            try {
                if (now - connection.lastReceivedNanos() > idleNanos && !connection.outbound().isFinished()) {
                    connection.sendLast(StompFrame.error("idle timeout", null));
                }
            } catch (RuntimeException e) { // one connection's trouble must not end the sweep for all the others
                log.error("Idle check failed on {}", connection, e);
            }
        }
    }

    @Override
    public void destroy() {
        if (sweep != null) {
            sweep.dispose();
        }
    }
}
