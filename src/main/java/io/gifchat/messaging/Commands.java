package io.gifchat.messaging;

import java.util.concurrent.atomic.AtomicBoolean;

import io.gifchat.broker.Broker;
import io.gifchat.cluster.Fanout;
import io.gifchat.broker.Subscription;
import io.gifchat.domain.Announcer;
import io.gifchat.domain.Refusal;
import io.gifchat.limits.Budget;
import io.gifchat.limits.Budgets;
import io.gifchat.stomp.HeartBeat;
import io.gifchat.stomp.StompCommand;
import io.gifchat.stomp.StompFrame;
import io.gifchat.stomp.StompHeaders;
import io.gifchat.stomp.StompProtocolException;
import io.gifchat.stomp.StompVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.info.BuildProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What each client frame does. Subscriptions are {@code ack:auto} only: ACK/NACK and transactions (BEGIN, COMMIT,
 * ABORT) are answered with an ERROR, which the spec allows for anything a server does not support.
 */
@Component
class Commands {

    private static final Logger log = LoggerFactory.getLogger(Commands.class);

    private final Broker broker;
    private final Fanout fanout;
    private final Destinations destinations;
    private final Connections connections;
    private final Subscriptions subscriptions;
    private final Announcer announcer;
    private final ErrorNotices notices;
    private final Heartbeats heartbeats;
    private final StompProperties properties;
    private final StompMetrics metrics;
    private final GoingAway goingAway;
    private final String server;
    private final Budgets budgets;

    Commands(Broker broker, Fanout fanout, Destinations destinations, Connections connections, Subscriptions subscriptions,
             Announcer announcer, ErrorNotices notices, Heartbeats heartbeats, StompProperties properties,
             StompMetrics metrics, GoingAway goingAway, Budgets budgets, ObjectProvider<BuildProperties> build) {
        this.budgets = budgets;
        this.metrics = metrics;
        this.goingAway = goingAway;
        this.broker = broker;
        this.fanout = fanout;
        this.destinations = destinations;
        this.connections = connections;
        this.subscriptions = subscriptions;
        this.announcer = announcer;
        this.notices = notices;
        this.heartbeats = heartbeats;
        this.properties = properties;
        BuildProperties info = build.getIfAvailable(); // absent when run from an IDE without the build-info goal
        this.server = "gif-chat/" + (info == null ? "dev" : info.getVersion());
    }

    Mono<Void> handle(Connection connection, StompFrame frame) {
        if (connection.outbound().isFinished() || connection.isDisconnecting()) {
            return Mono.empty(); // after ERROR or DISCONNECT nothing more is processed
        }
        if (goingAway.isUnderway()) {
            // Shutting down: nothing new is accepted. A CONNECTED connection gets the going-away ERROR once what it
            // is due has drained; one that is only now connecting gets it at once.
            if (!connection.isConnected()) {
                connection.sendLast(GoingAway.frame());
            }
            return Mono.empty();
        }
        if (!connection.spendFrame()) {
            // A burst of tiny frames in one WebSocket message would otherwise be fanned out frame by frame; the
            // ERROR finishes the connection, so the rest of the burst is ignored.
            return Mono.error(new StompDeniedException(Budget.FRAMES.message()));
        }
        if (!connection.isConnected()) {
            return frame.command().isConnect() ? connect(connection, frame)
                    : Mono.error(new StompProtocolException("expected CONNECT"));
        }
        frame.validate(connection.version());
        Mono<Void> action = switch (frame.command()) {
            case SEND -> send(connection, frame);
            case SUBSCRIBE -> subscribe(connection, frame);
            case UNSUBSCRIBE -> unsubscribe(connection, frame);
            case DISCONNECT -> disconnect(connection, frame);
            case CONNECT, STOMP -> Mono.error(new StompProtocolException("already connected"));
            case ACK, NACK -> Mono.error(new StompProtocolException("ACK/NACK not supported: subscriptions are ack:auto"));
            case BEGIN, COMMIT, ABORT -> Mono.error(new StompProtocolException("transactions not supported"));
            default -> Mono.error(new StompProtocolException("unexpected " + frame.command()));
        };
        String receipt = frame.header(StompHeaders.RECEIPT);
        return receipt == null || frame.command() == StompCommand.DISCONNECT || isApplicationSend(frame) ? action
                : action.then(Mono.<Void>fromRunnable(() -> connection.send(StompFrame.receipt(receipt))));
    }

    private static boolean isApplicationSend(StompFrame frame) {
        String destination = frame.header(StompHeaders.DESTINATION);
        return frame.command() == StompCommand.SEND && destination != null && destination.startsWith(Destinations.APP_PREFIX);
    }

    /**
     * An application SEND is handed over and not waited for: the next frame is handled at once, and this one is
     * answered when its handler says so — its RECEIPT, or a notice on {@code /user/queue/errors} for a refusal (the
     * connection stays). At most {@code max-pending-sends} may wait per connection; one more is refused.
     */
    private Mono<Void> sendToApplication(Connection connection, StompFrame frame, String destination) {
        if (!connection.beginAnswer(properties.maxPendingSends())) {
            notices.tell(connection, frame, Refusal.of(Refusal.Reason.TOO_MANY,
                    "Too many messages are waiting for their receipts; wait for them."));
            return Mono.empty();
        }
        if (goingAway.isUnderway()) {
            // The shutdown began since the check in handle(): this SEND is not accepted after all (undoing the count
            // lets the drain go on if it saw it). Checked after counting, so a drain that did not see the count
            // cannot miss a SEND it should wait for. No RECEIPT: the client sends it again after reconnecting.
            connection.endAnswer();
            return Mono.empty();
        }
        try {
            return destinations.dispatch(connection, frame, destination, new Answer(connection, frame));
        } catch (StompDeniedException noHandler) {
            connection.endAnswer();
            throw noHandler;
        }
    }

    /** One application SEND's answer, told once. */
    private final class Answer implements AppHandler.Answer {
        private final Connection connection;
        private final StompFrame frame;
        private final AtomicBoolean told = new AtomicBoolean();

        Answer(Connection connection, StompFrame frame) {
            this.connection = connection;
            this.frame = frame;
        }

        @Override
        public void done() {
            if (told.compareAndSet(false, true)) {
                String receipt = frame.header(StompHeaders.RECEIPT);
                if (receipt != null) {
                    connection.send(StompFrame.receipt(receipt));
                }
                connection.endAnswer();
            }
        }

        @Override
        public void failed(Throwable error) {
            if (told.compareAndSet(false, true)) {
                if (error instanceof Refusal refusal) {
                    notices.tell(connection, frame, refusal);
                } else {
                    fail(connection, frame, error);
                }
                connection.endAnswer();
            }
        }
    }

    /** A short ERROR (with the failing frame's receipt id), then the connection closes; never a stack trace. */
    void fail(Connection connection, StompFrame frame, Throwable error) {
        String message;
        if (error instanceof StompProtocolException || error instanceof StompDeniedException
                || error instanceof Refusal) {
            message = error.getMessage();
        } else {
            log.error("Unexpected failure on {}", connection, error);
            message = "internal error";
        }
        metrics.error(message);
        String receipt = frame == null ? null : frame.header(StompHeaders.RECEIPT);
        connection.sendLast(StompFrame.error(message, receipt));
    }

    private Mono<Void> connect(Connection connection, StompFrame frame) {
        StompVersion version = StompVersion.negotiate(frame.header(StompHeaders.ACCEPT_VERSION)).orElse(null);
        if (version == null) {
            // Not a plain fail(): this ERROR also says which versions we speak.
            StompFrame refusal = StompFrame.unsupportedVersion(frame.header(StompHeaders.RECEIPT));
            metrics.error(refusal.header(StompHeaders.MESSAGE));
            connection.sendLast(refusal);
            return Mono.empty();
        }
        HeartBeat client = HeartBeat.parse(frame.header(StompHeaders.HEART_BEAT));
        HeartBeat ours = new HeartBeat(properties.heartbeatSend().toMillis(), properties.heartbeatReceive().toMillis());
        if (!connections.add(connection)) {
            return Mono.error(new StompDeniedException("too many connections"));
        }
        connection.connected(version);
        var identity = connection.identity();
        connection.send(StompFrame.of(StompCommand.CONNECTED, StompHeaders.builder(7)
                .add(StompHeaders.VERSION, version.version())
                .add(StompHeaders.HEART_BEAT, ours.toHeaderValue())
                .add(StompHeaders.SERVER, server)
                .add(StompHeaders.SESSION, connection.id())
                .add("user-id", identity.id())
                .add("user-name", identity.name())
                .add("user-color", identity.color())
                .build()));
        heartbeats.start(connection, HeartBeat.negotiate(client, ours));
        return announcer.announceTolerantly(() -> new ConnectionEvents.Opened(connection));
    }

    private Mono<Void> send(Connection connection, StompFrame frame) {
        String destination = frame.header(StompHeaders.DESTINATION);
        if (destination.startsWith(Destinations.APP_PREFIX)) {
            return sendToApplication(connection, frame, destination);
        }
        String contentType = frame.header(StompHeaders.CONTENT_TYPE);
        // Bounded by the inbound limits: at most max-headers entries of at most max-header-line bytes each.
        StompHeaders userHeaders = frame.headers().userDefined();
        return destinations.send(connection, destination,
                Mono.fromRunnable(() -> fanout.publish(destination, contentType, userHeaders, frame.body())));
    }

    private Mono<Void> subscribe(Connection connection, StompFrame frame) {
        budgets.spend(Budget.SUBSCRIPTION_CHANGES, connection.identity().id());
        String destination = frame.header(StompHeaders.DESTINATION);
        String id = subscriptionId(connection, frame);
        String ack = frame.header(StompHeaders.ACK);
        if (ack != null && !"auto".equals(ack)) {
            return Mono.error(new StompDeniedException("only ack:auto is supported"));
        }
        if (connection.subscription(id) != null) {
            return Mono.error(new StompDeniedException("duplicate subscription id"));
        }
        if (connection.subscriptionCount() >= properties.maxSubscriptions()) {
            return Mono.error(new StompDeniedException("too many subscriptions"));
        }
        return destinations.authorizeSubscribe(connection, destination).then(Mono.defer(() -> {
            if (connection.isEnded()) {
                // Gone while we were authorizing: register nothing, but let listeners release what the
                // authorization may have reserved (e.g. a place in a room).
                return subscriptions.released(connection, new Subscription(connection, id, destination));
            }
            Subscription subscription = broker.subscribe(connection, id, destination);
            if (!connection.add(subscription)) {
                return subscriptions.ended(connection, subscription); // the connection ended meanwhile: undo
            }
            // In a cluster, the RECEIPT (and the join it may announce) waits until messages from every node reach
            // this subscription, so a client that got it misses nothing another node publishes afterwards.
            return fanout.listening(Broker.keyOf(connection.user(), destination))
                    .then(announcer.announceTolerantly(() -> new ConnectionEvents.Subscribed(connection, subscription)));
        }));
    }

    private Mono<Void> unsubscribe(Connection connection, StompFrame frame) {
        budgets.spend(Budget.SUBSCRIPTION_CHANGES, connection.identity().id());
        Subscription subscription = connection.remove(subscriptionId(connection, frame));
        return subscription == null ? Mono.empty() : subscriptions.ended(connection, subscription);
    }

    /** STOMP 1.0 subscriptions may have no id; the destination then names them. */
    private static String subscriptionId(Connection connection, StompFrame frame) {
        String id = frame.header(StompHeaders.ID);
        return id != null || connection.version() != StompVersion.V1_0 ? id : frame.header(StompHeaders.DESTINATION);
    }

    /** The RECEIPT of DISCONNECT says every earlier frame was handled: it waits for the unanswered SENDs. */
    private Mono<Void> disconnect(Connection connection, StompFrame frame) {
        String receipt = frame.header(StompHeaders.RECEIPT);
        connection.disconnecting(); // frames after it are ignored, as after an ERROR
        connection.whenAnswered(() -> connection.sendLast(receipt == null ? null : StompFrame.receipt(receipt)));
        return Mono.empty();
    }

    /** Removes everything the connection held and announces it; runs once per connection. */
    Mono<Void> end(Connection connection) {
        if (!connection.end()) {
            return Mono.empty();
        }
        heartbeats.stop(connection);
        connections.remove(connection);
        var held = connection.removeAll();
        Mono<Void> closed = connection.isConnected()
                ? announcer.announceTolerantly(() -> new ConnectionEvents.Closed(connection))
                : Mono.empty();
        return Flux.fromIterable(held).concatMap(s -> subscriptions.ended(connection, s)).then(closed);
    }
}
