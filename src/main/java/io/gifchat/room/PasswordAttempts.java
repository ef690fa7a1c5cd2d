package io.gifchat.room;

import io.gifchat.limits.BucketStore;
import io.gifchat.limits.Buckets;
import io.gifchat.limits.Rate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Password tries per (session identity, room), on every node together: a token bucket each, so guessing a room's
 * password is slow; at most 100,000 pairs tracked in this node's memory. The client address's own budget
 * ({@code gifchat.limits.password-tries-per-address}) bounds guessing with many identities.
 */
@Component
class PasswordAttempts {

    private final Buckets buckets;

    PasswordAttempts(RoomProperties properties, BucketStore store) {
        this.buckets = store.buckets("password-tries",
                new Rate(properties.passwordAttempts(), properties.passwordWindow()), 100_000);
    }

    Mono<Boolean> tryConsume(String identityId, String roomId) {
        return buckets.tryConsume(identityId + "/" + roomId);
    }

    /** A deleted room's tries go with it (in a cluster, Redis lets them expire within the password window). */
    void forget(String roomId) {
        buckets.forgetAll(key -> key.endsWith("/" + roomId));
    }
}
