package io.gifchat.room;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Room lifecycle rules.
 *
 * @param emptyGrace       how long a room may stay empty before it is deleted; re-entering cancels; 0 = never
 * @param ownerGrace       how long an owner who left may take to come back before the room goes to the member present
 *                         longest; 0 = at once
 * @param leaveGrace       how long an identity whose last tab left keeps its place, unannounced, so that a reload or a
 *                         short network blip is no exit and no join; 0 = the exit is announced at once
 * @param kickBan          how long a kicked participant cannot re-enter the room
 * @param passwordAttempts password tries per session and room within {@code passwordWindow} (then 429)
 * @param passwordWindow   the window in which {@code passwordAttempts} refill
 * @param history          messages rendered with the room page; older ones load on demand
 * @param idempotencyWindow how long a create request's idempotency key is remembered: the same identity sending the
 *                          same key again within it gets the room the first request made, not a second one
 * @param idempotencyKeys   most keys remembered at once (all identities); beyond it the least recently used are
 *                          forgotten first, so a flood of creates costs bounded memory
 */
@ConfigurationProperties("gifchat.rooms")
public record RoomProperties(
        @DefaultValue("30s") Duration emptyGrace,
        @DefaultValue("30s") Duration ownerGrace,
        @DefaultValue("3s") Duration leaveGrace,
        @DefaultValue("10m") Duration kickBan,
        @DefaultValue("5") int passwordAttempts,
        @DefaultValue("1m") Duration passwordWindow,
        @DefaultValue("50") int history,
        @DefaultValue("10m") Duration idempotencyWindow,
        @DefaultValue("10000") int idempotencyKeys) {
}
