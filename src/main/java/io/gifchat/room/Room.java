package io.gifchat.room;

import java.time.Instant;

import io.gifchat.identity.Identity;
import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * A chat room. {@code passwordHash} is a slow hash, never the password; null for a public room.
 * {@code owner} is the identity that owns the room now; {@code creator} is the id of the identity that created it,
 * which owns the room whenever it is present (null for rooms stored before it was recorded: their owner is all
 * there is).
 */
@Document("rooms")
public record Room(
        @Id String id,
        String title,
        int max,
        Identity owner,
        String creator,
        String passwordHash,
        Instant createdAt) {

    public boolean locked() {
        return passwordHash != null;
    }

    Room withOwner(Identity next) {
        return new Room(id, title, max, next, creator, passwordHash, createdAt);
    }

    boolean isOwnedBy(String identityId) {
        return owner.id().equals(identityId);
    }

    boolean isCreatedBy(String identityId) {
        return identityId.equals(creator);
    }
}
