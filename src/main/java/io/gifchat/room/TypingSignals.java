package io.gifchat.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.gifchat.identity.Identity;
import io.gifchat.messaging.Wire;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * "X is typing": the server writes the signal from the sender's identity ({@link RoomWire.Typing}) and ignores what
 * the client sent, so nobody can make another participant appear to type, nor choose the frame's content-type. At
 * most one signal per identity and room every {@link #EVERY} reaches the others (all its tabs together); the page
 * sends one every 2 s while its user types, so nothing visible is lost.
 */
@Component
class TypingSignals {

    static final Duration EVERY = Duration.ofSeconds(2);

    private final Map<String, Instant> last = new ConcurrentHashMap<>(); // "{roomId}/{identityId}" -> last signal
    private final Wire wire;
    private final Clock clock;

    TypingSignals(Wire wire, Clock clock) {
        this.wire = wire;
        this.clock = clock;
    }

    /** Publishes that {@code who} is typing in the room, unless it did less than {@link #EVERY} ago. */
    void typing(String roomId, Identity who) {
        Instant now = clock.instant();
        boolean[] due = {false};
        last.compute(roomId + "/" + who.id(), (key, previous) -> {
            due[0] = previous == null || !now.isBefore(previous.plus(EVERY));
            return due[0] ? now : previous;
        });
        if (due[0]) {
            wire.publish(RoomTopics.typing(roomId), new RoomWire.Typing(roomId, who));
        }
    }

    /** A deleted room's signals go with it. */
    void forget(String roomId) {
        last.keySet().removeIf(key -> key.startsWith(roomId + "/"));
    }

    /** An entry older than {@link #EVERY} throttles nothing: drop them so the map does not grow with every typer. */
    @Scheduled(fixedDelay = 60_000)
    void forgetOld() {
        Instant before = clock.instant().minus(EVERY);
        last.values().removeIf(at -> at.isBefore(before));
    }
}
