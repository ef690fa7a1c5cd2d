package io.gifchat.chat;

import java.time.Instant;

import io.gifchat.identity.Identity;
import io.gifchat.messaging.WireEvent;

/**
 * The one JSON shape of a stored line, the same on the room topic, in the history API and in the room page:
 * {@code {type: chat|gif|system, id, seq, room, user: {id, name, color}, chat?, gif?, event?, clientId?, createdAt}}.
 */
public record ChatLine(String type, String id, long seq, String room, Identity user, String chat, String gif,
                       String event, String clientId, Instant createdAt) implements WireEvent {

    static ChatLine of(Chat chat) {
        return new ChatLine(chat.type().name(), chat.id(), chat.seq(), chat.room(), chat.user(), chat.chat(),
                chat.gif(), chat.event(), chat.clientId(), chat.createdAt());
    }
}
