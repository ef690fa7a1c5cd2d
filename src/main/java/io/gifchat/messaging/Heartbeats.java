package io.gifchat.messaging;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.gifchat.stomp.HeartBeat;
import io.gifchat.stomp.StompFrame;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Timers of a connection: the CONNECT deadline, then the negotiated heart-beats. The server sends an EOL when it
 * has written nothing for about the negotiated interval, and ends a connection that has sent nothing for more
 * than twice the client's negotiated interval (the spec leaves the error margin to the server).
 */
@Component
class Heartbeats {

    private static final long MIN_TICK_MILLIS = 50;

    private final Scheduler timer = Schedulers.parallel();
    private final Duration connectTimeout;

    Heartbeats(StompProperties properties) {
        this.connectTimeout = properties.connectTimeout();
    }

    void awaitConnect(Connection connection) {
        connection.timer(timer.schedule(() -> {
            if (!connection.isConnected()) {
                connection.sendLast(StompFrame.error("CONNECT timeout", null));
            }
        }, connectTimeout.toMillis(), TimeUnit.MILLISECONDS));
    }

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
}
