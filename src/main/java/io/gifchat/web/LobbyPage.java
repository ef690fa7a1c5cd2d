package io.gifchat.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.gifchat.limits.ClientAddress;
import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identities;
import io.gifchat.room.NewRoom;
import io.gifchat.room.Rooms;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The lobby: the live room list and the create form. */
@Controller
class LobbyPage {

    private final Rooms rooms;
    private final Identities identities;

    LobbyPage(Rooms rooms, Identities identities) {
        this.rooms = rooms;
        this.identities = identities;
    }

    @GetMapping("/")
    String lobby(Model model) {
        model.addAttribute("rooms", rooms.list());
        model.addAttribute("form", NewRoom.blank());
        model.addAttribute("errors", Map.of());
        model.addAttribute("idempotencyKey", newKey());
        return "index";
    }

    /**
     * htmx posts here; errors re-render the form (422), success sends the creator into the room. The form's
     * {@code idempotencyKey} makes a repeat (a double click, a retry) lead into the room the first post made.
     */
    @PostMapping("/rooms")
    Mono<String> create(ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(data -> {
            String maxText = data.getFirst("max");
            Integer max = parseMax(maxText);
            NewRoom form = new NewRoom(data.getFirst("title"), max, data.getFirst("password"));
            String key = data.getFirst("idempotencyKey");
            if (max == null && maxText != null && !maxText.isBlank()) {
                Map<String, String> errors = new LinkedHashMap<>(form.errors());
                errors.put("max", NewRoom.notANumber());
                return Mono.just(invalid(exchange, model, form, errors, key));
            }
            return identities.of(exchange).flatMap(me -> rooms.create(form, me,
                            ClientAddress.key(exchange.getRequest().getRemoteAddress()), key))
                    .map(room -> Pages.redirect(exchange, "/room/" + room.id()))
                    .onErrorResume(Refusal.class, refusal -> refusal.fields().isEmpty() ? Mono.error(refusal)
                            : Mono.just(invalid(exchange, model, form, refusal.fields(), key)));
        });
    }

    /** The form again with its errors, and the same key: a refused create is not remembered under it. */
    private static String invalid(ServerWebExchange exchange, Model model, NewRoom form, Map<String, String> errors,
                                  String key) {
        exchange.getResponse().setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
        model.addAttribute("form", new NewRoom(form.title(), form.max(), "")); // never echo a password
        model.addAttribute("errors", errors);
        model.addAttribute("idempotencyKey", key == null || key.isBlank() ? newKey() : key);
        return "fragments/room-form :: form";
    }

    /** Random per rendering; the page's script renews it after a room was made (js/lobby.js). */
    private static String newKey() {
        return UUID.randomUUID().toString();
    }

    private static Integer parseMax(String max) {
        if (max == null || max.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(max.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
