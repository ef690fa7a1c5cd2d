package io.gifchat.room;

import java.net.URI;
import java.util.List;
import java.util.Map;

import io.gifchat.identity.Identities;
import io.gifchat.identity.Identity;
import io.gifchat.web.Refusal;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The rooms as JSON; errors are ProblemDetail (400, 403, 404, 409, 429). */
@RestController
@RequestMapping("/api/rooms")
class RoomApi {

    record Password(String password) {
    }

    private final RoomService rooms;
    private final Identities identities;
    private final Presence presence;
    private final PasswordAttempts attempts;

    RoomApi(RoomService rooms, Identities identities, Presence presence, PasswordAttempts attempts) {
        this.rooms = rooms;
        this.identities = identities;
        this.presence = presence;
        this.attempts = attempts;
    }

    @GetMapping
    Flux<RoomView> list() {
        return rooms.list();
    }

    @GetMapping("/{id}")
    Mono<RoomView> get(@PathVariable String id) {
        return existing(id).map(rooms::view);
    }

    @PostMapping
    Mono<ResponseEntity<RoomView>> create(@RequestBody NewRoom form, ServerWebExchange exchange) {
        Map<String, String> errors = form.errors();
        if (!errors.isEmpty()) {
            return Mono.error(new Refusal(HttpStatus.BAD_REQUEST, "The room is not valid.", errors));
        }
        return identities.of(exchange).flatMap(me -> rooms.create(form, me))
                .map(room -> ResponseEntity.created(URI.create("/api/rooms/" + room.id())).body(rooms.view(room)));
    }

    /** The owner or the administrator. */
    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> delete(@PathVariable String id, ServerWebExchange exchange) {
        return existing(id).zipWith(identities.of(exchange)).flatMap(t -> isAdmin().flatMap(admin -> {
            if (!admin && !t.getT1().owner().id().equals(t.getT2().id())) {
                return Mono.error(new Refusal(HttpStatus.FORBIDDEN, "Only the owner or an administrator can delete a room."));
            }
            return rooms.delete(t.getT1()).thenReturn(ResponseEntity.noContent().<Void>build());
        }));
    }

    @PostMapping("/{id}/admission")
    Mono<ResponseEntity<Void>> admission(@PathVariable String id, @RequestBody Password body, ServerWebExchange exchange) {
        return identities.of(exchange).flatMap(me -> existing(id).flatMap(room -> {
            if (!attempts.tryConsume(me.id(), id)) {
                return Mono.error(new Refusal(HttpStatus.TOO_MANY_REQUESTS, "Too many password attempts; try again later."));
            }
            return rooms.admit(room, body.password(), me.id()).flatMap(ok -> ok
                    ? Mono.just(ResponseEntity.noContent().<Void>build())
                    : Mono.error(new Refusal(HttpStatus.FORBIDDEN, "Wrong password.")));
        }));
    }

    /** Members only: those present in the room. */
    @GetMapping("/{id}/participants")
    Mono<Map<String, Object>> participants(@PathVariable String id, ServerWebExchange exchange) {
        return identities.of(exchange).flatMap(me -> existing(id).flatMap(room -> {
            if (!presence.isPresent(id, me.id())) {
                return Mono.error(new Refusal(HttpStatus.FORBIDDEN, "Only members of the room can see its participants."));
            }
            List<Identity> members = presence.members(id);
            return Mono.just(Map.<String, Object>of("owner", room.owner(), "participants", members));
        }));
    }

    /** The owner removes a participant, who cannot come back for {@code gifchat.rooms.kick-ban}. */
    @PostMapping("/{id}/kick/{identityId}")
    Mono<ResponseEntity<Void>> kick(@PathVariable String id, @PathVariable String identityId, ServerWebExchange exchange) {
        return identities.of(exchange).zipWith(existing(id))
                .flatMap(t -> rooms.kick(t.getT2(), t.getT1(), identityId))
                .thenReturn(ResponseEntity.noContent().build());
    }

    private Mono<Room> existing(String id) {
        return rooms.find(id).switchIfEmpty(Mono.error(new Refusal(HttpStatus.NOT_FOUND, "No such room.")));
    }

    static Mono<Boolean> isAdmin() {
        return ReactiveSecurityContextHolder.getContext().map(SecurityContext::getAuthentication)
                .map(RoomApi::isAdmin).defaultIfEmpty(false);
    }

    static boolean isAdmin(Authentication authentication) {
        return authentication.isAuthenticated()
                && authentication.getAuthorities().stream().anyMatch(a -> "ROLE_ADMIN".equals(a.getAuthority()));
    }
}
