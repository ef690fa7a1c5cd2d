package io.gifchat.chat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.gifchat.broker.Broker;
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
 * {@code SEND /app/chat/{roomId}/whisper} with {@code {"to": "<identity id>", "chat": "..."}}: both must be in the
 * room. Delivered on {@code /user/queue/whisper} to every tab of the recipient, and echoed to the sender's.
 * Whispers are not stored: they exist only for the people present.
 */
@Component
class Whisper implements AppHandler {

    private final Broker broker;
    private final Presence presence;
    private final ChatGate gate;
    private final JsonMapper json;

    Whisper(Broker broker, Presence presence, ChatGate gate, JsonMapper json) {
        this.broker = broker;
        this.presence = presence;
        this.gate = gate;
        this.json = json;
    }

    @Override
    public String pattern() {
        return "/app/chat/{roomId}/whisper";
    }

    @Override
    public Mono<Void> handle(Connection connection, Map<String, String> variables, StompFrame frame) {
        return Mono.fromRunnable(() -> {
            String roomId = variables.get("roomId");
            Identity me = connection.identity();
            ChatInput input = gate.admit(connection, roomId, frame);
            Identity to = input.to() == null ? null : presence.members(roomId).stream()
                    .filter(member -> member.id().equals(input.to())).findFirst().orElse(null);
            if (to == null) {
                throw new StompRejection("That person is not in the room.", input.details());
            }
            Map<String, Object> whisper = new LinkedHashMap<>();
            whisper.put("type", "whisper");
            whisper.put("room", roomId);
            whisper.put("from", me);
            whisper.put("to", to);
            whisper.put("chat", input.chat());
            if (input.clientId() != null) {
                whisper.put("clientId", input.clientId());
            }
            whisper.put("createdAt", Instant.now().toString());
            byte[] body = json.writeValueAsBytes(whisper);
            broker.sendToUser(to.id(), "/queue/whisper", "application/json", body);
            if (!to.id().equals(me.id())) {
                broker.sendToUser(me.id(), "/queue/whisper", "application/json", body);
            }
        });
    }
}
