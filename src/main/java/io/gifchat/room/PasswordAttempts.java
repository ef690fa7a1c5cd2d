package io.gifchat.room;

import io.gifchat.limits.Buckets;
import io.gifchat.limits.Rate;
import org.springframework.stereotype.Component;

/**
 * Password tries per (session identity, room): a token bucket each, so guessing a room's password is slow; at most
 * 100,000 pairs tracked. The client address's own budget ({@code gifchat.limits.password-tries-per-address}) bounds
 * guessing with many identities.
 */
@Component
class PasswordAttempts {

    private final Buckets buckets;

    PasswordAttempts(RoomProperties properties) {
        this.buckets = new Buckets(new Rate(properties.passwordAttempts(), properties.passwordWindow()), 100_000);
    }

    boolean tryConsume(String identityId, String roomId) {
        return buckets.tryConsume(identityId + "/" + roomId);
    }

    /** A deleted room's tries go with it. */
    void forget(String roomId) {
        buckets.forgetAll(key -> key.endsWith("/" + roomId));
    }
}
