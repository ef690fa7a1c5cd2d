package io.gifchat.chat;

import java.time.Clock;

import io.gifchat.identity.Identity;
import io.gifchat.room.RoomEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Joins, exits, owner changes and kicks become chat lines of type {@code system}, appended to the {@link RoomLog}
 * like any message, as part of the change that caused them.
 */
@Component
class SystemMessages {

    private static final int FIRST = 10;

    private static final Logger logger = LoggerFactory.getLogger(SystemMessages.class);

    private final RoomLog log;
    private final Clock clock;

    SystemMessages(RoomLog log, Clock clock) {
        this.log = log;
        this.clock = clock;
    }

    @EventListener
    @Order(FIRST)
    void on(RoomEvents.Joined event) {
        say(event, event.who(), "join", event.who().name() + " joined");
    }

    @EventListener
    @Order(FIRST)
    void on(RoomEvents.Left event) {
        say(event, event.who(), "exit", event.who().name() + " left");
    }

    @EventListener
    @Order(FIRST)
    void on(RoomEvents.OwnerChanged event) {
        Identity owner = event.room().owner();
        say(event, owner, "owner", owner.name() + " is now the owner");
    }

    @EventListener
    @Order(FIRST)
    void on(RoomEvents.Kicked event) {
        say(event, event.who(), "kick", event.who().name() + " was removed by the owner");
    }

    /**
     * Best effort: a line that cannot be written (the room's lane is full or closed, the store is down) is logged
     * and skipped, and never stops the change it describes (a handoff, a kick) nor what is announced after it.
     */
    private void say(RoomEvents.RoomEvent event, Identity who, String kind, String text) {
        String roomId = event.room().id();
        event.andThen(log.append(roomId, seq -> Chat.system(roomId, seq, who, kind, text, clock.instant()))
                .then()
                .onErrorResume(e -> {
                    logger.warn("No {} line in room {}: {}", kind, roomId, e.getMessage());
                    return Mono.empty();
                }));
    }
}
