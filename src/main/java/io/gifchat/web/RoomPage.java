package io.gifchat.web;

import io.gifchat.limits.ClientAddress;
import io.gifchat.chat.ChatProperties;
import io.gifchat.chat.History;
import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identities;
import io.gifchat.messaging.Wire;
import io.gifchat.room.Entrance;
import io.gifchat.room.Presence;
import io.gifchat.room.RoomAccess;
import io.gifchat.room.RoomProperties;
import io.gifchat.room.Rooms;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The room page: the last lines (as JSON, rendered by the same browser code as live ones), then the browser
 * subscribes (which is the real, atomic entry) and keeps the page live. Locked rooms get the password form, which
 * posts here; full, gone or forbidden rooms get their own clear pages.
 */
@Controller
class RoomPage {

    /** The server's limits the page needs: the message length, how many lines it came with, the largest page. */
    record ChatLimits(int maxLength, int history, int maxPage) {
    }

    private final RoomAccess access;
    private final Rooms rooms;
    private final Presence presence;
    private final History history;
    private final Identities identities;
    private final Wire wire;
    private final ChatLimits limits;

    RoomPage(RoomAccess access, Rooms rooms, Presence presence, History history, Identities identities,
             Wire wire, RoomProperties roomProperties, ChatProperties chatProperties) {
        this.access = access;
        this.rooms = rooms;
        this.presence = presence;
        this.history = history;
        this.identities = identities;
        this.wire = wire;
        this.limits = new ChatLimits(chatProperties.maxLength(), roomProperties.history(), History.MAX_PAGE);
    }

    @GetMapping("/room/{id}")
    Mono<String> room(@PathVariable String id, ServerWebExchange exchange, Model model) {
        return identities.of(exchange).flatMap(me -> access.entrance(id, me)).flatMap(entrance -> {
            if (entrance instanceof Entrance.Open open) {
                return Mono.zip(history.last(id, limits.history()), presence.members(id)).map(t -> {
                    var lines = t.getT1();
                    model.addAttribute("room", open.room());
                    model.addAttribute("participants", t.getT2());
                    model.addAttribute("history", wire.jsonArray(lines));
                    model.addAttribute("chatLimits", limits);
                    return "room";
                });
            }
            if (entrance instanceof Entrance.PasswordRequired locked) {
                model.addAttribute("room", locked.room());
                return Mono.just("password");
            }
            if (entrance instanceof Entrance.Full full) {
                return Mono.just(refuse(exchange, model, HttpStatus.CONFLICT, full.room(), "room-full"));
            }
            if (entrance instanceof Entrance.Removed removed) {
                return Mono.just(refuse(exchange, model, HttpStatus.FORBIDDEN, removed.room(), "room-removed"));
            }
            return Mono.just(refuse(exchange, model, HttpStatus.NOT_FOUND, null, "room-not-found"));
        });
    }

    /** The password form of a locked room: on success into the room, else the form again with the reason. */
    @PostMapping("/room/{id}/admission")
    Mono<String> admission(@PathVariable String id, ServerWebExchange exchange, Model model) {
        return Mono.zip(exchange.getFormData(), identities.of(exchange))
                .flatMap(t -> access.admit(id, t.getT1().getFirst("password"), t.getT2(),
                        ClientAddress.key(exchange.getRequest().getRemoteAddress())))
                .then(Mono.fromSupplier(() -> Pages.redirect(exchange, "/room/" + id)))
                .onErrorResume(Refusal.class, refusal -> {
                    if (refusal.reason() == Refusal.Reason.NOT_FOUND) {
                        return Mono.just(refuse(exchange, model, HttpStatus.NOT_FOUND, null, "room-not-found"));
                    }
                    return rooms.require(id).flatMap(rooms::view).map(view -> {
                        exchange.getResponse().setStatusCode(Problems.status(refusal.reason()));
                        model.addAttribute("room", view);
                        model.addAttribute("error", refusal.getMessage());
                        return "password";
                    });
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
