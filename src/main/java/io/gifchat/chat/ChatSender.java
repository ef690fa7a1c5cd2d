package io.gifchat.chat;

import java.time.Instant;
import java.util.Map;

import io.gifchat.identity.Identity;
import io.gifchat.messaging.AppHandler;
import io.gifchat.messaging.Connection;
import io.gifchat.messaging.StompRejection;
import io.gifchat.room.Presence;
import io.gifchat.stomp.StompFrame;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code SEND /app/chat/{roomId}} with {@code {"chat": "...", "clientId": "<uuid>"}}: checked, rate-limited,
 * stored with the room's next seq, then published; the RECEIPT follows the store. A refused message leaves the
 * connection open and says why on {@code /user/queue/errors}.
 */
@Component
class ChatSender implements AppHandler {

    private final RoomLog log;
    private final Presence presence;
    private final ChatRate rate;
    private final ChatProperties properties;
    private final JsonMapper json;

    ChatSender(RoomLog log, Presence presence, ChatRate rate, ChatProperties properties, JsonMapper json) {
        this.log = log;
        this.presence = presence;
        this.rate = rate;
        this.properties = properties;
        this.json = json;
    }

    @Override
    public String pattern() {
        return "/app/chat/{roomId}";
    }

    @Override
    public Mono<Void> handle(Connection connection, Map<String, String> variables, StompFrame frame) {
        return Mono.defer(() -> {
            String roomId = variables.get("roomId");
            Identity me = connection.identity();
            ChatInput input = ChatInput.read(json, frame, properties.maxLength());
            if (!presence.isPresent(roomId, me.id())) {
                return Mono.error(new StompRejection("Enter the room before sending to it.", input.details()));
            }
            if (!rate.tryConsume(me.id())) {
                return Mono.error(new StompRejection("You are sending too fast; wait a moment.", input.details()));
            }
            String dedupeId = input.clientId() == null ? null : roomId + ":" + me.id() + ":" + input.clientId();
            return log.append(roomId, dedupeId, seq -> new Chat(dedupeId, roomId, seq, me, Chat.Type.chat,
                    input.chat(), null, null, input.clientId(), Instant.now())).then();
        });
    }
}
