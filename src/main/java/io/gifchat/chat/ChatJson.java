package io.gifchat.chat;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON shape of a chat line, the same on the room topic and in the history API:
 * {@code {type, id, seq, room, user: {id, name, color}, chat | gif, event?, clientId?, createdAt}}.
 */
final class ChatJson {

    private ChatJson() {
    }

    static Map<String, Object> of(Chat chat) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", chat.type().name());
        json.put("id", chat.id());
        json.put("seq", chat.seq());
        json.put("room", chat.room());
        json.put("user", chat.user());
        if (chat.chat() != null) {
            json.put("chat", chat.chat());
        }
        if (chat.gif() != null) {
            json.put("gif", chat.gif());
        }
        if (chat.event() != null) {
            json.put("event", chat.event());
        }
        if (chat.clientId() != null) {
            json.put("clientId", chat.clientId());
        }
        json.put("createdAt", chat.createdAt().toString());
        return json;
    }

    static byte[] bytes(JsonMapper json, Chat chat) {
        return json.writeValueAsBytes(of(chat));
    }
}
