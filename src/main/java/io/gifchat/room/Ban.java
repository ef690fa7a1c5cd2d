package io.gifchat.room;

import java.time.Instant;

import org.springframework.data.annotation.Id;
import org.springframework.data.mongodb.core.index.Indexed;
import org.springframework.data.mongodb.core.mapping.Document;

/**
 * An identity the owner removed from a room, kept out until {@code until}. Stored so a restart does not lift it.
 * The TTL index lets a real MongoDB drop an expired ban by itself; the embedded store ignores TTL indexes, so
 * {@link Bans#prune} drops them too.
 */
@Document("bans")
record Ban(@Id String id, String room, String identity, @Indexed(name = "until_ttl", expireAfter = "0s") Instant until) {

    static String id(String room, String identity) {
        return room + "/" + identity;
    }
}
