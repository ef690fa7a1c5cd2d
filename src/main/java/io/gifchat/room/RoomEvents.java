package io.gifchat.room;

import io.gifchat.identity.Identity;
import reactor.core.publisher.Mono;

/**
 * What happens in rooms, for the features built on them (the lobby, system messages in the chat, stored data to
 * remove). Implementations are called in order and their Monos are part of the operation that caused the event.
 */
public interface RoomEvents {

    default Mono<Void> created(Room room) {
        return Mono.empty();
    }

    default Mono<Void> joined(Room room, Identity who) {
        return Mono.empty();
    }

    default Mono<Void> left(Room room, Identity who) {
        return Mono.empty();
    }

    default Mono<Void> ownerChanged(Room room, Identity previous) {
        return Mono.empty();
    }

    default Mono<Void> kicked(Room room, Identity who) {
        return Mono.empty();
    }

    /** The room is gone: remove what belongs to it (messages, GIFs). */
    default Mono<Void> deleted(Room room) {
        return Mono.empty();
    }
}
