package io.gifchat.chat;

import io.gifchat.messaging.Connection;
import io.gifchat.messaging.StompRejection;
import io.gifchat.room.Presence;
import io.gifchat.stomp.StompFrame;
import org.springframework.stereotype.Component;
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

    /** @throws StompRejection with the reason, and the message's clientId when it has one */
    ChatInput admit(Connection connection, String roomId, StompFrame frame) {
        ChatInput input = ChatInput.read(json, frame, properties.maxLength());
        if (!presence.isPresent(roomId, connection.identity().id())) {
            throw new StompRejection("Enter the room before sending to it.", input.details());
        }
        if (!rate.tryConsume(connection.identity().id())) {
            throw new StompRejection("You are sending too fast; wait a moment.", input.details());
        }
        return input;
    }
}
