package io.gifchat.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.gifchat.stomp.StompFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * The graceful shutdown of STOMP, before the web server's own drain (WebSockets never finish on their own, so they
 * would hold that drain for its whole timeout):
 * <ol>
 * <li>no new frame is accepted: whatever arrives from now on is ignored, and a connection that has not CONNECTED
 * yet is told to go away at once;</li>
 * <li>what was accepted drains: every {@code /app} SEND already handed to the application gets its answer (its
 * RECEIPT: a chat line stored and published), for at most {@code shutdown-drain};</li>
 * <li>then every connection gets ERROR {@value #MESSAGE} after whatever it was still due, and the close; the
 * shutdown goes on once each has ended and what its end sets off is done (a room's exit line stored), for at most
 * {@value #CLOSE_WAIT_SECONDS} s: the store closes after us.</li>
 * </ol>
 * Clients reconnect once the server is back (the room page does, with backoff); a SEND ignored in step 1 got no
 * RECEIPT, so the page's outbox sends it again then, with its clientId, and it cannot be stored twice.
 */
@Component
class GoingAway implements SmartLifecycle {

    /** The ERROR's {@code message}: the server is going away, the client should reconnect (the README's contract). */
    static final String MESSAGE = "server going away; reconnect";

    private static final Logger log = LoggerFactory.getLogger(GoingAway.class);

    /** How long the connections may take to end once told (the ERROR is written even to a peer that is not reading). */
    private static final long CLOSE_WAIT_SECONDS = 2;

    private final Connections connections;
    private final Duration drain;
    private volatile boolean running;
    private volatile boolean underway;
    private volatile Closing closing; // the connections told to go away, until they have all ended

    GoingAway(Connections connections, StompProperties properties) {
        this.connections = connections;
        this.drain = properties.shutdownDrain();
    }

    /** Whether the shutdown has begun: no frame is accepted any more. */
    boolean isUnderway() {
        return underway;
    }

    /** The ERROR that ends every connection at shutdown. */
    static StompFrame frame() {
        return StompFrame.error(MESSAGE, null);
    }

    @Override
    public void start() {
        underway = false;
        closing = null;
        running = true;
    }

    /** Spring calls {@link #stop(Runnable)}; this is the same without a callback, and returns before it is done. */
    @Override
    public void stop() {
        stop(() -> { });
    }

    @Override
    public void stop(Runnable done) {
        running = false;
        underway = true; // before the snapshot: a SEND accepted after it sees the flag and undoes itself (Commands)
        List<Connection> accepted = connections.all();
        Flux.fromIterable(accepted)
                .flatMap(GoingAway::answered)
                .then()
                .timeout(drain, Mono.fromRunnable(() -> log.warn(
                        "Shutdown: /app SENDs still unanswered after {}; closing the connections anyway", drain)))
                .then(Mono.defer(this::tellEveryone))
                .doFinally(signal -> done.run())
                .subscribe(null, error -> log.error("Shutdown of the STOMP connections failed", error));
    }

    /** Completes once every application SEND the connection handed over is answered. */
    private static Mono<Void> answered(Connection connection) {
        return Mono.create(sink -> connection.whenAnswered(sink::success));
    }

    /**
     * The going-away ERROR to every connection, including any that CONNECTED while the others drained; completes
     * when they have all ended ({@link ConnectionEvents.Closed} comes after the follow-ups of their subscriptions'
     * ends).
     */
    private Mono<Void> tellEveryone() {
        List<Connection> all = connections.all();
        Closing told = new Closing(ConcurrentHashMap.newKeySet(), Sinks.empty());
        told.open().addAll(all);
        told.open().removeIf(Connection::isEnded); // already on their way out: whether they were announced is unknown
        closing = told;
        if (told.open().isEmpty()) {
            told.ended().tryEmitEmpty();
        }
        all.forEach(connection -> connection.sendLast(frame()));
        if (!all.isEmpty()) {
            log.info("Shutdown: told {} STOMP connections to go away", all.size());
        }
        Duration wait = Duration.ofSeconds(CLOSE_WAIT_SECONDS);
        return told.ended().asMono().timeout(wait, Mono.fromRunnable(() -> log.warn(
                "Shutdown: {} STOMP connections had not ended after {}; going on", told.open().size(), wait)));
    }

    @EventListener
    void on(ConnectionEvents.Closed event) {
        Closing told = closing;
        if (told != null && told.open().remove(event.connection()) && told.open().isEmpty()) {
            told.ended().tryEmitEmpty();
        }
    }

    private record Closing(Set<Connection> open, Sinks.Empty<Void> ended) {
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
