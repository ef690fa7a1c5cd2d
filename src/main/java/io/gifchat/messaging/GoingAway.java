package io.gifchat.messaging;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On shutdown, ends every STOMP connection before the web server starts its graceful drain: WebSockets never
 * finish on their own, so they would hold the drain for its whole timeout. Clients see a normal close and
 * reconnect (the room page does, with backoff) once the server is back.
 */
@Component
class GoingAway implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GoingAway.class);

    private final Connections connections;
    private volatile boolean running;

    GoingAway(Connections connections) {
        this.connections = connections;
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        int count = connections.count();
        connections.all().forEach(connection -> connection.sendLast(null));
        if (count > 0) {
            log.info("Closed {} STOMP connections for shutdown", count);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the web server's graceful shutdown (which runs in a lower phase). */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
