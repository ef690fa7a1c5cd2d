package io.gifchat.chat;

import java.util.regex.Pattern;

import io.gifchat.domain.Refusal;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The JSON body of a chat SEND, read and checked: {@code {"chat": "...", "clientId": "<uuid>", "to": "<id>"}}. */
record ChatInput(String chat, String clientId, String to) {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** @throws Refusal naming the clientId once it is known, so the page can mark that message */
    static ChatInput read(JsonMapper json, byte[] bytes, int maxLength) {
        JsonNode body;
        try {
            body = json.readTree(bytes);
        } catch (RuntimeException e) {
            throw notJson();
        }
        if (body == null || !body.isObject()) {
            throw notJson();
        }
        String clientId = text(body, "clientId");
        if (clientId != null && !UUID.matcher(clientId).matches()) {
            throw Refusal.of(Refusal.Reason.INVALID, "clientId must be a UUID.");
        }
        String chat = text(body, "chat");
        chat = chat == null ? "" : chat.strip();
        if (chat.isEmpty()) {
            throw Refusal.of(Refusal.Reason.INVALID, "The message is empty.").forClientId(clientId);
        }
        if (chat.codePointCount(0, chat.length()) > maxLength) {
            throw Refusal.of(Refusal.Reason.INVALID, "The message is longer than " + maxLength + " characters.")
                    .forClientId(clientId);
        }
        return new ChatInput(chat, clientId, text(body, "to"));
    }

    private static Refusal notJson() {
        return Refusal.of(Refusal.Reason.INVALID, "The message must be JSON like {\"chat\": \"hello\"}.");
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || !value.isString() ? null : value.asString();
    }
}
