package io.gifchat.room;

import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Password tries per (session identity, room): a token bucket each, so guessing a room's password is slow. */
@Component
class PasswordAttempts {

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final RoomProperties properties;

    PasswordAttempts(RoomProperties properties) {
        this.properties = properties;
    }

    boolean tryConsume(String identityId, String roomId) {
        return buckets.computeIfAbsent(identityId + "/" + roomId, key -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(properties.passwordAttempts())
                        .refillGreedy(properties.passwordAttempts(), properties.passwordWindow()).build())
                .build()).tryConsume(1);
    }

    /** A deleted room's tries go with it. */
    void forget(String roomId) {
        buckets.keySet().removeIf(key -> key.endsWith("/" + roomId));
    }

    /** Full buckets carry no information: drop them so the map does not grow with every visitor. */
    @Scheduled(fixedDelay = 60_000)
    void forgetRefilled() {
        buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= properties.passwordAttempts());
    }
}
