package io.gifchat.web;

import java.util.LinkedHashMap;
import java.util.Map;

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
        return "index";
    }

    /** htmx posts here; errors re-render the form (422), success sends the creator into the room. */
    @PostMapping("/rooms")
    Mono<String> create(ServerWebExchange exchange, Model model) {
        return exchange.getFormData().flatMap(data -> {
            String maxText = data.getFirst("max");
            Integer max = parseMax(maxText);
            NewRoom form = new NewRoom(data.getFirst("title"), max, data.getFirst("password"));
            if (max == null && maxText != null && !maxText.isBlank()) {
                Map<String, String> errors = new LinkedHashMap<>(form.errors());
                errors.put("max", NewRoom.notANumber());
                return Mono.just(invalid(exchange, model, form, errors));
            }
            return identities.of(exchange).flatMap(me -> rooms.create(form, me, ClientAddress.key(exchange.getRequest().getRemoteAddress())))
                    .map(room -> Pages.redirect(exchange, "/room/" + room.id()))
                    .onErrorResume(Refusal.class, refusal -> refusal.fields().isEmpty() ? Mono.error(refusal)
                            : Mono.just(invalid(exchange, model, form, refusal.fields())));
        });
    }

    private static String invalid(ServerWebExchange exchange, Model model, NewRoom form, Map<String, String> errors) {
        exchange.getResponse().setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
        model.addAttribute("form", new NewRoom(form.title(), form.max(), "")); // never echo a password
        model.addAttribute("errors", errors);
        return "fragments/room-form :: form";
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
