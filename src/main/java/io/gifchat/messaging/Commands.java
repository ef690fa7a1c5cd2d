package io.gifchat.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.gifchat.broker.Broker;
import io.gifchat.broker.Subscription;
import io.gifchat.stomp.HeartBeat;
import io.gifchat.stomp.MessageTemplate;
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
import tools.jackson.databind.json.JsonMapper;

/**
 * What each client frame does. Subscriptions are {@code ack:auto} only: ACK/NACK and transactions (BEGIN, COMMIT,
 * ABORT) are answered with an ERROR, which the spec allows for anything a server does not support.
 */
@Component
class Commands {

    private static final Logger log = LoggerFactory.getLogger(Commands.class);

    private final Broker broker;
    private final Destinations destinations;
    private final Connections connections;
    // Resolved lazily: the application's listeners use services that in turn use this endpoint.
    private final ObjectProvider<ConnectionListener> listeners;
    private final Heartbeats heartbeats;
    private final StompProperties properties;
    private final String server;
    private final JsonMapper json;
    private final AtomicLong errorIds = new AtomicLong();

    static final String ERRORS = "/user/queue/errors";

    Commands(Broker broker, Destinations destinations, Connections connections, ObjectProvider<ConnectionListener> listeners,
             Heartbeats heartbeats, StompProperties properties, ObjectProvider<BuildProperties> build, JsonMapper json) {
        this.json = json;
        this.broker = broker;
        this.destinations = destinations;
        this.connections = connections;
        this.listeners = listeners;
        this.heartbeats = heartbeats;
        this.properties = properties;
        BuildProperties info = build.getIfAvailable();
        this.server = "gif-chat/" + (info == null ? "dev" : info.getVersion());
    }

    Mono<Void> handle(Connection connection, StompFrame frame) {
        if (connection.outbound().isFinished()) {
            return Mono.empty(); // after ERROR or DISCONNECT nothing more is processed
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
        Mono<Void> done = receipt == null || frame.command() == StompCommand.DISCONNECT ? action
                : action.then(Mono.<Void>fromRunnable(() -> connection.send(StompFrame.receipt(receipt))));
        return done.onErrorResume(StompRejection.class, e -> reject(connection, frame, e));
    }

    /** Tells the sending connection why, on its {@code /user/queue/errors} subscription if it has one. */
    private Mono<Void> reject(Connection connection, StompFrame frame, StompRejection rejection) {
        Map<String, Object> body = new LinkedHashMap<>(rejection.details());
        body.put("type", "error");
        body.put("message", rejection.getMessage());
        body.put("destination", frame.header(StompHeaders.DESTINATION));
        String receipt = frame.header(StompHeaders.RECEIPT);
        if (receipt != null) {
            body.put("receipt", receipt);
        }
        connection.currentSubscriptions().stream()
                .filter(s -> ERRORS.equals(s.destination()))
                .findFirst()
                .ifPresent(s -> connection.deliver(MessageTemplate.of(ERRORS, "e" + errorIds.incrementAndGet(),
                        "application/json", null, json.writeValueAsBytes(body)).encode(s.id(), connection.version()), true));
        return Mono.empty();
    }

    private Mono<Void> connect(Connection connection, StompFrame frame) {
        StompVersion version = StompVersion.negotiate(frame.header(StompHeaders.ACCEPT_VERSION))
                .orElseThrow(() -> new StompProtocolException("unsupported version"));
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
        return notify(l -> l.connected(connection));
    }

    private Mono<Void> send(Connection connection, StompFrame frame) {
        String destination = frame.header(StompHeaders.DESTINATION);
        String contentType = frame.header(StompHeaders.CONTENT_TYPE);
        return destinations.send(connection, frame, destination,
                Mono.fromRunnable(() -> broker.publish(destination, contentType, frame.body())));
    }

    private Mono<Void> subscribe(Connection connection, StompFrame frame) {
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
                return notify(l -> l.unsubscribed(connection, new Subscription(connection, id, destination)));
            }
            Subscription subscription = broker.subscribe(connection, id, destination);
            if (!connection.add(subscription)) {
                return unsubscribed(connection, subscription); // the connection ended meanwhile: undo
            }
            return notify(l -> l.subscribed(connection, subscription));
        }));
    }

    private Mono<Void> unsubscribe(Connection connection, StompFrame frame) {
        Subscription subscription = connection.remove(subscriptionId(connection, frame));
        return subscription == null ? Mono.empty() : unsubscribed(connection, subscription);
    }

    Mono<Void> unsubscribed(Connection connection, Subscription subscription) {
        broker.unsubscribe(subscription);
        return notify(l -> l.unsubscribed(connection, subscription));
    }

    /** STOMP 1.0 subscriptions may have no id; the destination then names them. */
    private static String subscriptionId(Connection connection, StompFrame frame) {
        String id = frame.header(StompHeaders.ID);
        return id != null || connection.version() != StompVersion.V1_0 ? id : frame.header(StompHeaders.DESTINATION);
    }

    private Mono<Void> disconnect(Connection connection, StompFrame frame) {
        String receipt = frame.header(StompHeaders.RECEIPT);
        connection.sendLast(receipt == null ? null : StompFrame.receipt(receipt));
        return Mono.empty();
    }

    /** Listeners run in order; one failing is logged and neither stops the others nor the connection. */
    private Mono<Void> notify(Function<ConnectionListener, Mono<Void>> event) {
        return Flux.fromStream(listeners::orderedStream)
                .concatMap(listener -> event.apply(listener).onErrorResume(e -> {
                    log.warn("Connection listener {} failed: {}", listener, e.toString());
                    return Mono.empty();
                }))
                .then();
    }

    /** Removes everything the connection held and tells the listeners; runs once per connection. */
    Mono<Void> end(Connection connection) {
        if (!connection.end()) {
            return Mono.empty();
        }
        heartbeats.stop(connection);
        connections.remove(connection);
        var held = connection.removeAll();
        Mono<Void> disconnected = connection.isConnected()
                ? notify(l -> l.disconnected(connection))
                : Mono.empty();
        return Flux.fromIterable(held).concatMap(s -> unsubscribed(connection, s)).then(disconnected);
    }
}
