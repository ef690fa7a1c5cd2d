package io.gifchat.chat;

import io.gifchat.limits.BucketStore;
import io.gifchat.limits.Buckets;
import io.gifchat.limits.Rate;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Messages per identity (all its tabs, on every node, together): a token bucket each, at most 100,000 identities
 * tracked in this node's memory.
 */
@Component
class ChatRate {

    private final Buckets buckets;

    ChatRate(ChatProperties properties, BucketStore store) {
        this.buckets = store.buckets("chat-rate", new Rate(properties.rateLimit(), properties.rateWindow()), 100_000);
    }

    /** True when the identity may send one more; one identity's answers come in the order they were asked. */
    Mono<Boolean> tryConsume(String identityId) {
        return buckets.tryConsume(identityId);
    }
}
