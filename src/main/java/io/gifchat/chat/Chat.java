package io.gifchat.chat;

import java.time.Instant;

import io.gifchat.identity.Identity;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One line in a room, as stored: a text message ({@code chat}), a GIF ({@code gif}, its URL) or a system notice
 * such as a join ({@code event}: join, exit, owner, kick, with its text in {@code chat}). {@code clientId} is the
 * sender's retry key, if it gave one; a message with one is stored under an id derived from it, so a retry finds
 * it. {@code seq} increases per room; the unique index on (room, seq) makes a duplicate impossible. Build lines with
 * the factories, which say which fields each kind has.
 */
@Document("chats")
@CompoundIndex(name = "room_seq", def = "{'room': 1, 'seq': 1}", unique = true)
public record Chat(
        @Id String id,
        String room,
        long seq,
        Identity user,
        Type type,
        String chat,
        String gif,
        String event,
        String clientId,
        Instant createdAt) {

    /** Lower-case because these are the wire and stored values ({@code "type": "system"}). */
    public enum Type { chat, gif, system }

    /** The same line under another id. */
    Chat withId(String newId) {
        return new Chat(newId, room, seq, user, type, chat, gif, event, clientId, createdAt);
    }

    /** A text message; {@code id} null lets the store choose one. */
    static Chat text(String id, String room, long seq, Identity user, String text, String clientId, Instant at) {
        return new Chat(id, room, seq, user, Type.chat, text, null, null, clientId, at);
    }

    /** A posted GIF, by its URL. */
    public static Chat gif(String room, long seq, Identity user, String url, Instant at) {
        return new Chat(null, room, seq, user, Type.gif, null, url, null, null, at);
    }

    /** A notice about {@code who}: {@code event} names what happened, {@code text} says it. */
    static Chat system(String room, long seq, Identity who, String event, String text, Instant at) {
        return new Chat(null, room, seq, who, Type.system, text, null, event, null, at);
    }
}
