package io.gifchat.chat;

import java.time.Instant;
import java.util.Map;

import io.gifchat.identity.Identity;
import io.gifchat.messaging.AppHandler;
import io.gifchat.messaging.Connection;
import io.gifchat.stomp.StompFrame;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * {@code SEND /app/chat/{roomId}} with {@code {"chat": "...", "clientId": "<uuid>"}}: checked, rate-limited,
 * stored with the room's next seq, then published; the RECEIPT follows the store. A refused message leaves the
 * connection open and says why on {@code /user/queue/errors}.
 */
@Component
class ChatSender implements AppHandler {

    private final RoomLog log;
    private final ChatGate gate;

    ChatSender(RoomLog log, ChatGate gate) {
        this.log = log;
        this.gate = gate;
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
            ChatInput input = gate.admit(connection, roomId, frame);
            String dedupeId = input.clientId() == null ? null : roomId + ":" + me.id() + ":" + input.clientId();
            return log.append(roomId, dedupeId, seq -> new Chat(dedupeId, roomId, seq, me, Chat.Type.chat,
                    input.chat(), null, null, input.clientId(), Instant.now())).then();
        });
    }
}
