package io.gifchat.chat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.gifchat.identity.Identities;
import io.gifchat.room.Presence;
import io.gifchat.room.RoomService;
import io.gifchat.web.Refusal;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * A room's history, oldest first: {@code ?before={seq}} pages back from the page's first message, {@code ?after={seq}}
 * catches up after a reconnect. Members (present in the room) only.
 */
@RestController
class ChatApi {

    static final int MAX_PAGE = 200;

    private final ChatRepository chats;
    private final RoomService rooms;
    private final Presence presence;
    private final Identities identities;
    private final ChatProperties properties;

    ChatApi(ChatRepository chats, RoomService rooms, Presence presence, Identities identities,
            ChatProperties properties) {
        this.chats = chats;
        this.rooms = rooms;
        this.presence = presence;
        this.identities = identities;
        this.properties = properties;
    }

    @GetMapping("/api/rooms/{id}/chats")
    Mono<List<Map<String, Object>>> history(@PathVariable String id, @RequestParam(required = false) Long before,
                                            @RequestParam(required = false) Long after,
                                            @RequestParam(required = false) Integer limit, ServerWebExchange exchange) {
        if (before != null && after != null) {
            return Mono.error(new Refusal(HttpStatus.BAD_REQUEST, "Use either before or after, not both."));
        }
        int size = Math.min(MAX_PAGE, Math.max(1, limit == null ? properties.pageSize() : limit));
        PageRequest page = PageRequest.of(0, size);
        return identities.of(exchange).flatMap(me -> rooms.find(id)
                .switchIfEmpty(Mono.error(new Refusal(HttpStatus.NOT_FOUND, "No such room.")))
                .filter(room -> presence.isPresent(id, me.id()))
                .switchIfEmpty(Mono.error(new Refusal(HttpStatus.FORBIDDEN, "Only members of the room can read it.")))
                .flatMap(room -> after != null
                        ? chats.findByRoomAndSeqGreaterThanOrderBySeqAsc(id, after, page).map(ChatJson::of).collectList()
                        : chats.findByRoomAndSeqLessThanOrderBySeqDesc(id, before == null ? Long.MAX_VALUE : before, page)
                                .map(ChatJson::of).collectList().map(ChatApi::oldestFirst)));
    }

    static <T> List<T> oldestFirst(List<T> newestFirst) {
        List<T> list = new ArrayList<>(newestFirst);
        Collections.reverse(list);
        return list;
    }
}
