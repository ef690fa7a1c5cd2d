package io.gifchat.limits;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The budgets one client may spend, each a {@link Rate} ({@code amount/period}, refilling smoothly), and the pool
 * BCrypt runs on. The README's configuration table lists the same, with what a client sees when a budget is spent.
 *
 * @param enabled                 false switches every budget below off — for load tests and benchmarks only (a
 *                                warning at start-up says so); the chat rate limit and per-identity password tries
 *                                ({@code gifchat.chat.*}, {@code gifchat.rooms.*}) stay on
 * @param frames                  STOMP frames one connection may send (heart-beat EOLs are free)
 * @param subscriptionChanges     SUBSCRIBE and UNSUBSCRIBE frames of one identity, all its connections together
 * @param handshakes              WebSocket handshakes from one client address
 * @param newSessions             new browser sessions (fresh identities) from one client address
 * @param rooms                   rooms one identity may create
 * @param roomsPerAddress         rooms created from one client address, whatever the identities
 * @param gifUploads              GIF uploads of one identity
 * @param gifBytes                bytes of GIFs one identity may upload
 * @param gifBytesPerRoom         bytes of GIFs uploaded to one room, whoever uploads
 * @param passwordTriesPerAddress room password tries from one client address, whatever the identities and rooms
 * @param adminLogins             admin login attempts from one client address
 * @param hashingThreads          threads hashing and checking BCrypt passwords (room passwords, the admin login)
 * @param hashingQueue            password checks that may wait for one of those threads; one more is refused
 * @param trackedKeys             most clients tracked per budget; the least recently seen is forgotten beyond it
 *                                (in cluster mode Redis keeps the buckets, each until it is full again, and this bounds
 *                                what a node keeps beside them: its fallback buckets for when Redis does not answer)
 * @param sharedTimeout           in cluster mode, the longest a budget check waits for Redis, where every node's
 *                                buckets are kept, before this node decides alone with its own bucket for the key
 */
@ConfigurationProperties("gifchat.limits")
public record LimitsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("200/10s") Rate frames,
        @DefaultValue("60/1m") Rate subscriptionChanges,
        @DefaultValue("120/1m") Rate handshakes,
        @DefaultValue("100/10m") Rate newSessions,
        @DefaultValue("10/10m") Rate rooms,
        @DefaultValue("30/10m") Rate roomsPerAddress,
        @DefaultValue("20/1m") Rate gifUploads,
        @DefaultValue("50MB/10m") Rate gifBytes,
        @DefaultValue("200MB/1h") Rate gifBytesPerRoom,
        @DefaultValue("30/1m") Rate passwordTriesPerAddress,
        @DefaultValue("10/1m") Rate adminLogins,
        @DefaultValue("2") int hashingThreads,
        @DefaultValue("64") int hashingQueue,
        @DefaultValue("100000") int trackedKeys,
        @DefaultValue("500ms") Duration sharedTimeout) {
}
