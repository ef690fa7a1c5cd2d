package io.gifchat.room;

import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import io.gifchat.limits.Budget;
import io.gifchat.limits.Budgets;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * The rules of entering a room, in the order a visitor meets them: the room exists, the identity was not kicked
 * recently, it gave the password if the room is locked, and there is space. The room page asks first
 * ({@link #entrance}); entering for real is the SUBSCRIBE to the room's topic ({@link #enter}), which checks again
 * and takes the place atomically. Password tries are limited per identity and room.
 */
@Component
public class RoomAccess {

    private final Rooms rooms;
    private final Bans bans;
    private final Admissions admissions;
    private final RoomPasswords passwords;
    private final PasswordAttempts attempts;
    private final Places presence;
    private final Budgets budgets;

    RoomAccess(Rooms rooms, Bans bans, Admissions admissions, RoomPasswords passwords, PasswordAttempts attempts,
               Places presence, Budgets budgets) {
        this.budgets = budgets;
        this.rooms = rooms;
        this.bans = bans;
        this.admissions = admissions;
        this.passwords = passwords;
        this.attempts = attempts;
        this.presence = presence;
    }

    /** Whether {@code who} may open the room's page now, and if not, why. */
    public Mono<Entrance> entrance(String roomId, Identity who) {
        return rooms.find(roomId).flatMap(room -> Mono.zip(bans.isBanned(roomId, who.id()), rooms.view(room))
                .flatMap(t -> {
                    RoomView view = t.getT2();
                    if (t.getT1()) {
                        return Mono.<Entrance>just(new Entrance.Removed(view));
                    }
                    return isAdmitted(room, who.id()).flatMap(admitted -> !admitted
                            ? Mono.just(new Entrance.PasswordRequired(view))
                            : presence.isFullFor(room, who.id()).map(full -> full ? new Entrance.Full(view)
                                    : new Entrance.Open(view)));
                })).defaultIfEmpty(new Entrance.NotFound());
    }

    /** Takes a place in the room for this connection of {@code who}, or refuses. */
    Mono<Void> enter(String roomId, String connectionId, Identity who) {
        return rooms.find(roomId)
                .switchIfEmpty(Mono.error(() -> Refusal.of(Refusal.Reason.NOT_FOUND, "No such room.")))
                .flatMap(room -> bans.of(roomId).flatMap(roomBans -> {
                    if (roomBans.isBanned(who.id())) { // refused before the password is asked for
                        return Mono.error(removed());
                    }
                    return isAdmitted(room, who.id()).flatMap(admitted -> {
                        if (!admitted) {
                            return Mono.error(Refusal.of(Refusal.Reason.NOT_ALLOWED, "This room needs its password."));
                        }
                        // Checked again inside the atomic step: a kick may have banned the identity meanwhile.
                        return presence.enter(roomId, connectionId, who, room.max(), roomBans::isBanned)
                                .flatMap(entry -> switch (entry) {
                                    case FULL -> Mono.error(Refusal.of(Refusal.Reason.FULL, "The room is full."));
                                    case BANNED -> Mono.error(removed());
                                    case ENTERED, ALREADY_PRESENT -> Mono.<Void>empty();
                                });
                    });
                }));
    }

    /**
     * Checks a locked room's password; on success this identity may enter from now on. Refused when the password
     * is wrong, or when this identity has used up its tries for this room, or its client address its tries for
     * any room.
     */
    public Mono<Void> admit(String roomId, String password, Identity who, String clientAddress) {
        return rooms.require(roomId).flatMap(room -> {
            if (!room.locked()) {
                return Mono.empty();
            }
            if (!attempts.tryConsume(who.id(), roomId)) {
                return Mono.error(Refusal.of(Refusal.Reason.TOO_MANY,
                        "Too many password attempts; try again later."));
            }
            // Identities are free (a new session each): the address's budget bounds guessing with many of them.
            budgets.spend(Budget.PASSWORD_TRIES_PER_ADDRESS, clientAddress);
            return passwords.matches(password, room.passwordHash()).flatMap(ok -> ok
                    ? admissions.admit(roomId, who.id())
                    : Mono.error(Refusal.of(Refusal.Reason.NOT_ALLOWED, "Wrong password.")));
        });
    }

    private Mono<Boolean> isAdmitted(Room room, String identityId) {
        return room.locked() ? admissions.isAdmitted(room.id(), identityId) : Mono.just(true);
    }

    static Refusal removed() {
        return Refusal.of(Refusal.Reason.NOT_ALLOWED, "You were removed from this room.");
    }
}
