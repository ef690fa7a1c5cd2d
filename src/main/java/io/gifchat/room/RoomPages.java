package io.gifchat.room;

import java.util.Map;

import io.gifchat.identity.Identities;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/** The lobby (live room list, create form) and the password form of locked rooms. */
@Controller
class RoomPages {

    private final RoomService rooms;
    private final Identities identities;
    private final PasswordAttempts attempts;

    RoomPages(RoomService rooms, Identities identities, PasswordAttempts attempts) {
        this.rooms = rooms;
        this.identities = identities;
        this.attempts = attempts;
    }

    @GetMapping("/")
    String lobby(Model model) {
        model.addAttribute("rooms", rooms.list());
        model.addAttribute("form", new NewRoom("", NewRoom.DEFAULT_MAX, ""));
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
            Map<String, String> errors = form.errors();
            if (max == null && maxText != null && !maxText.isBlank()) {
                errors = new java.util.LinkedHashMap<>(errors);
                errors.put("max", "Enter a number between " + NewRoom.MAX_MIN + " and " + NewRoom.MAX_MAX + ".");
            }
            if (!errors.isEmpty()) {
                exchange.getResponse().setStatusCode(HttpStatus.UNPROCESSABLE_CONTENT);
                model.addAttribute("form", new NewRoom(form.title(), form.max(), ""));
                model.addAttribute("errors", errors);
                return Mono.just("fragments/room-form :: form");
            }
            return identities.of(exchange).flatMap(me -> rooms.create(form, me))
                    .map(room -> redirect(exchange, "/room/" + room.id()));
        });
    }

    @PostMapping("/room/{id}/admission")
    Mono<String> admission(@PathVariable String id, ServerWebExchange exchange, Model model) {
        return Mono.zip(exchange.getFormData(), identities.of(exchange)).flatMap(t -> rooms.find(id)
                .flatMap(room -> {
                    model.addAttribute("room", rooms.view(room));
                    if (!attempts.tryConsume(t.getT2().id(), id)) {
                        exchange.getResponse().setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
                        model.addAttribute("error", "Too many attempts. Wait a minute and try again.");
                        return Mono.just("password");
                    }
                    return rooms.admit(room, t.getT1().getFirst("password"), t.getT2().id()).map(ok -> {
                        if (ok) {
                            return redirect(exchange, "/room/" + id);
                        }
                        exchange.getResponse().setStatusCode(HttpStatus.FORBIDDEN);
                        model.addAttribute("error", "Wrong password.");
                        return "password";
                    });
                })
                .switchIfEmpty(Mono.fromSupplier(() -> {
                    exchange.getResponse().setStatusCode(HttpStatus.NOT_FOUND);
                    return "room-not-found";
                })));
    }

    /** htmx gets HX-Redirect (it then loads the page); a plain form post a redirect. */
    private static String redirect(ServerWebExchange exchange, String location) {
        if ("true".equals(exchange.getRequest().getHeaders().getFirst("HX-Request"))) {
            exchange.getResponse().getHeaders().set("HX-Redirect", location);
            return "fragments/empty";
        }
        return "redirect:" + location;
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
