package io.gifchat.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import io.gifchat.cluster.Bulletin;
import io.gifchat.cluster.Notice;
import io.gifchat.cluster.NoticeArrived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.query.Criteria;
import org.springframework.data.mongodb.core.query.Query;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Who was kicked from which room, until when. Stored ({@link Ban}), so a restart does not lift a ban; read from the
 * store once per room, on the first entrance or kick after start, and kept in memory, so the check on entering is a
 * map lookup that runs inside the room's atomic entrance step ({@link Presence#enter}). An expired ban is dropped
 * from memory when it is met, from the store every minute ({@link #prune}: the embedded store enforces no TTL index),
 * and with its room.
 * <p>
 * In a cluster each node keeps its own copy: a kick tells the other nodes its ban ({@link Notice.Banned}), which
 * they add to theirs at once — loaded or not, so that a copy read from the store before the ban was stored still
 * has it — and a room deleted elsewhere drops this node's copy ({@link #drop}).
 */
@Component
class Bans {

    private static final Logger log = LoggerFactory.getLogger(Bans.class);
    private static final Duration FOREVER = Duration.ofMillis(Long.MAX_VALUE);

    /** One room's bans: identity id → when its ban ends. */
    static final class RoomBans {
        private final Map<String, Instant> until = new ConcurrentHashMap<>();
        private final Clock clock;
        /** Completes with this once the stored bans are in; a failed read is tried again by the next caller. */
        private final Mono<RoomBans> loaded;

        private RoomBans(Clock clock, Function<Map<String, Instant>, Mono<Void>> load) {
            this.clock = clock;
            this.loaded = Mono.defer(() -> load.apply(until)).thenReturn(this)
                    .cache(ok -> FOREVER, failed -> Duration.ZERO, () -> Duration.ZERO);
        }

        boolean isBanned(String identityId) {
            Instant end = until.get(identityId);
            if (end == null) {
                return false;
            }
            if (!end.isAfter(clock.instant())) {
                until.remove(identityId, end);
                return false;
            }
            return true;
        }

        /** In memory only: the caller stores it ({@link #store}) once the identity is out. */
        void ban(String identityId, Instant end) {
            until.put(identityId, end);
        }

        private void dropEndedBy(Instant now) {
            until.values().removeIf(end -> !end.isAfter(now));
        }
    }

    private final Map<String, RoomBans> rooms = new ConcurrentHashMap<>();
    private final ReactiveMongoTemplate mongo;
    private final Bulletin bulletin;
    private final Clock clock;
    private volatile boolean failing; // one warning per outage, not one per prune

    Bans(ReactiveMongoTemplate mongo, Bulletin bulletin, Clock clock) {
        this.mongo = mongo;
        this.bulletin = bulletin;
        this.clock = clock;
    }

    /** The room's bans, read from the store the first time. */
    Mono<RoomBans> of(String roomId) {
        return roomBans(roomId).loaded;
    }

    /** The room's copy, made (not yet read from the store) if this node has none. */
    private RoomBans roomBans(String roomId) {
        return rooms.computeIfAbsent(roomId, id -> new RoomBans(clock, into -> mongo.find(
                        Query.query(Criteria.where("room").is(id).and("until").gt(clock.instant())), Ban.class)
                .doOnNext(ban -> into.put(ban.identity(), ban.until()))
                .then()));
    }

    /** Tells the other nodes of a ban set here ({@link RoomBans#ban}), so that their copies refuse the identity too. */
    void spread(String roomId, String identityId, Instant until) {
        bulletin.post(new Notice.Banned(roomId, identityId, until));
    }

    /** Another node's kick: its ban is in this node's copy at once, whether or when that copy is read from the store. */
    @EventListener
    void on(NoticeArrived event) {
        if (event.notice() instanceof Notice.Banned banned) {
            roomBans(banned.room()).ban(banned.identity(), banned.until());
        }
    }

    Mono<Boolean> isBanned(String roomId, String identityId) {
        return of(roomId).map(bans -> bans.isBanned(identityId));
    }

    /** Makes a ban survive restarts. */
    Mono<Void> store(String roomId, String identityId, Instant until) {
        return mongo.save(new Ban(Ban.id(roomId, identityId), roomId, identityId, until)).then();
    }

    /** The room was deleted on another node, which removes the stored bans: this node's copy goes. */
    void drop(String roomId) {
        rooms.remove(roomId);
    }

    /** A deleted room's bans go with it, stored and in memory. */
    Mono<Void> forget(String roomId) {
        return Mono.defer(() -> {
            rooms.remove(roomId);
            return mongo.remove(Query.query(Criteria.where("room").is(roomId)), Ban.class).then();
        });
    }

    /** Drops the bans that have ended, in memory and in the store. Spring subscribes to it anew on every run. */
    @Scheduled(fixedDelay = 60_000)
    Mono<Void> prune() {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            rooms.values().forEach(bans -> bans.dropEndedBy(now));
            return mongo.remove(Query.query(Criteria.where("until").lte(now)), Ban.class).then();
        }).doOnSuccess(done -> {
            if (failing) {
                failing = false;
                log.info("Pruning ended bans works again");
            }
        }).onErrorResume(e -> {
            if (!failing) {
                failing = true;
                log.warn("Pruning ended bans failed ({}); retrying every minute, quietly until it works", e.toString());
            }
            return Mono.empty();
        });
    }
}
