package io.gifchat.room;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import org.springframework.stereotype.Component;

/**
 * Password tries per (session identity, room): a token bucket each, so guessing a room's password is slow. The map
 * forgets a pair one window after its last try (its bucket is full again by then) and holds at most 100,000 pairs;
 * the client address's own budget ({@code gifchat.limits.password-tries-per-address}) bounds guessing with many
 * identities.
 */
@Component
class PasswordAttempts {

    private final Cache<String, Bucket> buckets;
    private final RoomProperties properties;

    PasswordAttempts(RoomProperties properties) {
        this.properties = properties;
        this.buckets = Caffeine.newBuilder().expireAfterAccess(properties.passwordWindow()).maximumSize(100_000)
                .executor(Runnable::run).build();
    }

    boolean tryConsume(String identityId, String roomId) {
        return buckets.get(identityId + "/" + roomId, key -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(properties.passwordAttempts())
                        .refillGreedy(properties.passwordAttempts(), properties.passwordWindow()).build())
                .build()).tryConsume(1);
    }

    /** A deleted room's tries go with it. */
    void forget(String roomId) {
        buckets.asMap().keySet().removeIf(key -> key.endsWith("/" + roomId));
    }
}
