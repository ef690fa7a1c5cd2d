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
     * The body is checked now; the membership and then the rate when the Mono is subscribed (in a cluster each may be
     * a round trip to Redis), the rate last, so a message refused for its form or membership spends nothing. One
     * sender's admissions come in the order they were asked.
     *
     * @throws Refusal for a malformed body, thrown; other refusals are the Mono's error, with the message's clientId
     */
    Mono<ChatInput> admit(Identity sender, String roomId, byte[] body) {
        ChatInput input = ChatInput.read(json, body, properties.maxLength());
        return presence.requireMember(roomId, sender.id())
                .onErrorMap(Refusal.class, refusal -> refusal.forClientId(input.clientId()))
                .then(rate.tryConsume(sender.id()))
                .handle((allowed, sink) -> {
                    if (allowed) {
                        sink.next(input);
                    } else {
                        sink.error(Refusal.of(Refusal.Reason.TOO_MANY, "You are sending too fast; wait a moment.")
                                .forClientId(input.clientId()));
                    }
                });
    }
}
