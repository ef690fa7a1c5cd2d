package io.gifchat.chat;

import java.time.Instant;

import io.gifchat.identity.Identity;
import io.gifchat.room.Room;
import io.gifchat.room.RoomEvents;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Joins, exits, owner changes and kicks become chat lines of type {@code system}, appended to the {@link RoomLog}
 * like any message. Deleting a room deletes its lines.
 */
@Component
@Order(10)
class SystemMessages implements RoomEvents {

    private final ChatRepository chats;
    private final ChatSequence sequence;
    private final RoomLog log;

    SystemMessages(ChatRepository chats, ChatSequence sequence, RoomLog log) {
        this.chats = chats;
        this.sequence = sequence;
        this.log = log;
    }

    @Override
    public Mono<Void> joined(Room room, Identity who) {
        return say(room, who, "join", who.name() + " joined");
    }

    @Override
    public Mono<Void> left(Room room, Identity who) {
        return say(room, who, "exit", who.name() + " left");
    }

    @Override
    public Mono<Void> ownerChanged(Room room, Identity previous) {
        return say(room, room.owner(), "owner", room.owner().name() + " is now the owner");
    }

    @Override
    public Mono<Void> kicked(Room room, Identity who) {
        return say(room, who, "kick", who.name() + " was removed by the owner");
    }

    @Override
    public Mono<Void> deleted(Room room) {
        return chats.deleteByRoom(room.id()).then(sequence.forget(room.id()));
    }

    private Mono<Void> say(Room room, Identity who, String event, String text) {
        return log.append(room.id(), seq -> new Chat(null, room.id(), seq, who, Chat.Type.system, text, null, event,
                null, Instant.now())).then();
    }
}
