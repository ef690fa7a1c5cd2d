package io.gifchat.chat;

import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Messages per identity (all its tabs together): a token bucket each. */
@Component
class ChatRate {

    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();
    private final ChatProperties properties;

    ChatRate(ChatProperties properties) {
        this.properties = properties;
    }

    boolean tryConsume(String identityId) {
        return buckets.computeIfAbsent(identityId, id -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(properties.rateLimit())
                        .refillGreedy(properties.rateLimit(), properties.rateWindow()).build())
                .build()).tryConsume(1);
    }

    /** A full bucket is the same as no bucket: forget them so the map does not grow with every visitor. */
    @Scheduled(fixedDelay = 60_000)
    void forgetIdle() {
        buckets.values().removeIf(bucket -> bucket.getAvailableTokens() >= properties.rateLimit());
    }
}
