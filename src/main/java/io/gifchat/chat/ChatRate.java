package io.gifchat.chat;

import io.gifchat.limits.Buckets;
import io.gifchat.limits.Rate;
import org.springframework.stereotype.Component;

/** Messages per identity (all its tabs together): a token bucket each, at most 100,000 identities tracked. */
@Component
class ChatRate {

    private final Buckets buckets;

    ChatRate(ChatProperties properties) {
        this.buckets = new Buckets(new Rate(properties.rateLimit(), properties.rateWindow()), 100_000);
    }

    boolean tryConsume(String identityId) {
        return buckets.tryConsume(identityId);
    }
}
