package io.gifchat.room;

import java.net.URI;

import io.gifchat.limits.ClientAddress;
import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identities;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The rooms as JSON; refusals become ProblemDetail (400, 403, 404, 409, 429) at the web edge. */
@RestController
@RequestMapping("/api/rooms")
class RoomApi {

    record Password(String password) {
    }

    private final Rooms rooms;
    private final RoomAccess access;
    private final Moderation moderation;
    private final RoomDeletion deletion;
    private final Presence presence;
    private final ParticipantList participants;
    private final Identities identities;

    RoomApi(Rooms rooms, RoomAccess access, Moderation moderation, RoomDeletion deletion, Presence presence,
            ParticipantList participants, Identities identities) {
        this.rooms = rooms;
        this.access = access;
        this.moderation = moderation;
        this.deletion = deletion;
        this.presence = presence;
        this.participants = participants;
        this.identities = identities;
    }

    @GetMapping
    Flux<RoomView> list() {
        return rooms.list();
    }

    @GetMapping("/{id}")
    Mono<RoomView> get(@PathVariable String id) {
        return rooms.require(id).flatMap(rooms::view);
    }

    /** With an {@code Idempotency-Key}, a repeat of the same request answers 201 with the room the first one made. */
    @PostMapping
    Mono<ResponseEntity<RoomView>> create(@RequestBody NewRoom form,
                                          @RequestHeader(name = "Idempotency-Key", required = false) String key,
                                          ServerWebExchange exchange) {
        return identities.of(exchange).flatMap(me -> rooms.create(form, me,
                        ClientAddress.key(exchange.getRequest().getRemoteAddress()), key))
                .flatMap(room -> rooms.view(room).map(view -> ResponseEntity.created(URI.create("/api/rooms/" + room.id())).body(view)));
    }

    /** The owner or the administrator. */
    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> delete(@PathVariable String id, ServerWebExchange exchange) {
        return rooms.require(id).zipWith(identities.of(exchange)).flatMap(t -> isAdmin().flatMap(admin -> {
            if (!admin && !t.getT1().isOwnedBy(t.getT2().id())) {
                return Mono.error(Refusal.of(Refusal.Reason.NOT_ALLOWED,
                        "Only the owner or an administrator can delete a room."));
            }
            return deletion.delete(t.getT1()).thenReturn(ResponseEntity.noContent().<Void>build());
        }));
    }

    @PostMapping("/{id}/admission")
    Mono<ResponseEntity<Void>> admission(@PathVariable String id, @RequestBody Password body, ServerWebExchange exchange) {
        return identities.of(exchange).flatMap(me -> access.admit(id, body.password(), me,
                        ClientAddress.key(exchange.getRequest().getRemoteAddress())))
                .thenReturn(ResponseEntity.noContent().build());
    }

    /** Members only: those present in the room. */
    @GetMapping("/{id}/participants")
    Mono<RoomWire.Participants> participants(@PathVariable String id, ServerWebExchange exchange) {
        return identities.of(exchange).flatMap(me -> rooms.require(id)
                .flatMap(room -> presence.requireMember(id, me.id()).then(participants.of(room))));
    }

    /** The owner removes a participant, who cannot come back for {@code gifchat.rooms.kick-ban}. */
    @PostMapping("/{id}/kick/{identityId}")
    Mono<ResponseEntity<Void>> kick(@PathVariable String id, @PathVariable String identityId, ServerWebExchange exchange) {
        return identities.of(exchange).zipWith(rooms.require(id))
                .flatMap(t -> moderation.kick(t.getT2(), t.getT1(), identityId))
                .thenReturn(ResponseEntity.noContent().build());
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
