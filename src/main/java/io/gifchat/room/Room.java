package io.gifchat.room;

import java.time.Instant;

import io.gifchat.identity.Identity;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A chat room. {@code passwordHash} is a slow hash, never the password; null for a public room.
 * {@code owner} is the identity that owns the room now (the creator until it leaves).
 */
@Document("rooms")
public record Room(
        @Id String id,
        String title,
        int max,
        Identity owner,
        String passwordHash,
        Instant createdAt) {

    public boolean locked() {
        return passwordHash != null;
    }

    Room withOwner(Identity next) {
        return new Room(id, title, max, next, passwordHash, createdAt);
    }

    boolean isOwnedBy(String identityId) {
        return owner.id().equals(identityId);
    }
}
