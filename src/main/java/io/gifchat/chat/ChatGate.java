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

    /** The message, or a {@link Refusal} with the reason and the message's clientId when it has one. */
    Mono<ChatInput> admit(Identity sender, String roomId, byte[] body) {
        ChatInput input = ChatInput.read(json, body, properties.maxLength());
        return presence.requireMember(roomId, sender.id())
                .onErrorMap(Refusal.class, refusal -> refusal.forClientId(input.clientId()))
                .then(Mono.fromCallable(() -> {
                    if (!rate.tryConsume(sender.id())) {
                        throw Refusal.of(Refusal.Reason.TOO_MANY, "You are sending too fast; wait a moment.")
                                .forClientId(input.clientId());
                    }
                    return input;
                }));
    }
}
