package io.gifchat.chat;

import io.gifchat.identity.Identities;
import io.gifchat.room.Entrance;
import io.gifchat.room.Presence;
import io.gifchat.room.RoomProperties;
import io.gifchat.room.RoomService;
import org.springframework.data.domain.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The room page: the last messages rendered by the server, then the browser subscribes (which is the real,
 * atomic entry) and keeps the page live. Locked, full, gone or forbidden rooms get their own clear pages.
 */
@Controller
class ChatPage {

    private final RoomService rooms;
    private final Identities identities;
    private final ChatRepository chats;
    private final Presence presence;
    private final RoomProperties properties;

    ChatPage(RoomService rooms, Identities identities, ChatRepository chats, Presence presence,
             RoomProperties properties) {
        this.rooms = rooms;
        this.identities = identities;
        this.chats = chats;
        this.presence = presence;
        this.properties = properties;
    }

    @GetMapping("/room/{id}")
    Mono<String> room(@PathVariable String id, ServerWebExchange exchange, Model model) {
        return identities.of(exchange).flatMap(me -> rooms.entrance(id, me)).map(entrance -> {
            if (entrance instanceof Entrance.Open open) {
                model.addAttribute("room", open.room());
                model.addAttribute("participants", presence.members(id));
                model.addAttribute("chats", chats.findByRoomAndSeqLessThanOrderBySeqDesc(id, Long.MAX_VALUE,
                        PageRequest.of(0, properties.history())).collectList().map(ChatApi::oldestFirst));
                return "room";
            }
            if (entrance instanceof Entrance.PasswordRequired locked) {
                model.addAttribute("room", locked.room());
                return "password";
            }
            if (entrance instanceof Entrance.Full full) {
                return refuse(exchange, model, HttpStatus.CONFLICT, full.room(), "room-full");
            }
            if (entrance instanceof Entrance.Removed removed) {
                return refuse(exchange, model, HttpStatus.FORBIDDEN, removed.room(), "room-removed");
            }
            return refuse(exchange, model, HttpStatus.NOT_FOUND, null, "room-not-found");
        });
    }

    private static String refuse(ServerWebExchange exchange, Model model, HttpStatus status, Object room, String view) {
        exchange.getResponse().setStatusCode(status);
        if (room != null) {
            model.addAttribute("room", room);
        }
        return view;
    }
}
