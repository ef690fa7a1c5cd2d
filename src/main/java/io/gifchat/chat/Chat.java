package io.gifchat.chat;

import java.time.Instant;

import io.gifchat.identity.Identity;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.CompoundIndex;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * One line in a room: a text message ({@code chat}), a GIF ({@code gif}, its URL) or a system notice such as a
 * join ({@code event}: join, exit, owner, kick). {@code clientId} is the sender's retry key, if it gave one. {@code seq} increases per room; the unique index on (room, seq) makes a duplicate impossible.
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
}
