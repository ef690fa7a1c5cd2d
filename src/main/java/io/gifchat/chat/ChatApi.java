package io.gifchat.chat;

import java.util.List;

import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identities;
import io.gifchat.room.Presence;
import io.gifchat.room.Rooms;
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

    private final History history;
    private final Rooms rooms;
    private final Presence presence;
    private final Identities identities;
    private final ChatProperties properties;

    ChatApi(History history, Rooms rooms, Presence presence, Identities identities, ChatProperties properties) {
        this.history = history;
        this.rooms = rooms;
        this.presence = presence;
        this.identities = identities;
        this.properties = properties;
    }

    @GetMapping("/api/rooms/{id}/chats")
    Mono<List<ChatLine>> history(@PathVariable String id, @RequestParam(required = false) Long before,
                                 @RequestParam(required = false) Long after,
                                 @RequestParam(required = false) Integer limit, ServerWebExchange exchange) {
        if (before != null && after != null) {
            return Mono.error(Refusal.of(Refusal.Reason.INVALID, "Use either before or after, not both."));
        }
        int size = Math.min(History.MAX_PAGE, Math.max(1, limit == null ? properties.pageSize() : limit));
        return identities.of(exchange).flatMap(me -> rooms.require(id)
                .then(presence.requireMember(id, me.id()))
                .then(after != null ? history.after(id, after, size)
                        : history.before(id, before == null ? Long.MAX_VALUE : before, size)));
    }
}
