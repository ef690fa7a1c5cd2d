package io.gifchat.chat;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import org.springframework.stereotype.Component;

/**
 * Messages per identity (all its tabs together): a token bucket each, in a map that forgets an identity one
 * window after its last message (its bucket is full again by then) and never holds more than 100,000.
 */
@Component
class ChatRate {

    private final Cache<String, Bucket> buckets;
    private final ChatProperties properties;

    ChatRate(ChatProperties properties) {
        this.properties = properties;
        this.buckets = Caffeine.newBuilder().expireAfterAccess(properties.rateWindow()).maximumSize(100_000)
                .executor(Runnable::run).build();
    }

    boolean tryConsume(String identityId) {
        return buckets.get(identityId, id -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(properties.rateLimit())
                        .refillGreedy(properties.rateLimit(), properties.rateWindow()).build())
                .build()).tryConsume(1);
    }
}
