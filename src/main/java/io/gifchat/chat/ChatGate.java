package io.gifchat.chat;

import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import io.gifchat.room.Presence;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** What every chat SEND passes first: a well-formed body, a sender present in the room, within the rate limit. */
@Component
class ChatGate {

    private final Presence presence;
    private final ChatRate rate;
    private final ChatProperties properties;
    private final JsonMapper json;

    ChatGate(Presence presence, ChatRate rate, ChatProperties properties, JsonMapper json) {
        this.presence = presence;
        this.rate = rate;
        this.properties = properties;
        this.json = json;
    }

    /**
     * The body and the membership are checked now; the rate when the Mono is subscribed (in a cluster a round trip
     * to Redis), last, so a message refused for its form spends nothing. One sender's admissions come in the order
     * they were asked.
     *
     * @throws Refusal with the reason, and the message's clientId when it has one — thrown, or the Mono's error
     */
    Mono<ChatInput> admit(Identity sender, String roomId, byte[] body) {
        ChatInput input = ChatInput.read(json, body, properties.maxLength());
        try {
            presence.requireMember(roomId, sender.id());
        } catch (Refusal refusal) {
            throw refusal.forClientId(input.clientId());
        }
        return rate.tryConsume(sender.id()).handle((allowed, sink) -> {
            if (allowed) {
                sink.next(input);
            } else {
                sink.error(Refusal.of(Refusal.Reason.TOO_MANY, "You are sending too fast; wait a moment.")
                        .forClientId(input.clientId()));
            }
        });
    }
}
