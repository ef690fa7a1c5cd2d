package io.gifchat.chat;

import java.util.Map;
import java.util.regex.Pattern;

import io.gifchat.messaging.StompRejection;
import io.gifchat.stomp.StompFrame;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON body of a chat SEND, read and checked: {@code {"chat": "...", "clientId": "<uuid>", "to": "<id>"}}. */
record ChatInput(String chat, String clientId, String to) {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    static ChatInput read(JsonMapper json, StompFrame frame, int maxLength) {
        JsonNode body;
        try {
            body = json.readTree(frame.body());
        } catch (RuntimeException e) {
            throw new StompRejection("The message must be JSON like {\"chat\": \"hello\"}.");
        }
        if (body == null || !body.isObject()) {
            throw new StompRejection("The message must be JSON like {\"chat\": \"hello\"}.");
        }
        String clientId = text(body, "clientId");
        if (clientId != null && !UUID.matcher(clientId).matches()) {
            throw new StompRejection("clientId must be a UUID.");
        }
        Map<String, Object> details = clientId == null ? Map.of() : Map.of("clientId", clientId);
        String chat = text(body, "chat");
        chat = chat == null ? "" : chat.strip();
        if (chat.isEmpty()) {
            throw new StompRejection("The message is empty.", details);
        }
        if (chat.codePointCount(0, chat.length()) > maxLength) {
            throw new StompRejection("The message is longer than " + maxLength + " characters.", details);
        }
        return new ChatInput(chat, clientId, text(body, "to"));
    }

    Map<String, Object> details() {
        return clientId == null ? Map.of() : Map.of("clientId", clientId);
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || !value.isString() ? null : value.asString();
    }
}
