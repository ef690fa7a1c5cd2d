package io.gifchat.room;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import io.gifchat.cluster.ClusterProperties;
import io.gifchat.cluster.Nodes;
import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.StreamUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * {@link Presence} shared by every node, in Redis: each change is one Lua script (src/main/resources/presence), so
 * it is atomic across nodes — 50 joiners spread over two nodes to a room of 10 get exactly 10 places; an identity's
 * tabs on different nodes count once; a join is announced by the node whose script saw it first, an exit by the
 * one whose script released the place; a kick bans and removes in one step that no entrance on any node can come
 * between.
 * <p>
 * Each node also keeps its own connections' places ({@code seats}): they answer for this node's members while Redis
 * cannot be asked, they are put back when Redis lost them or was unreachable while they changed ({@link #resync}),
 * and a dead node's are released by whichever survivor buries it ({@link #releaseDeadNodes}): held for the
 * leave-grace like a reload, so its members reconnecting to another node within it announce nothing.
 * <p>
 * Redis down: this node decides alone from its seats, as the budgets fall back to the node's own buckets —
 * availability over exactness. Its members keep sending; a SUBSCRIBE is let in while this node's own seats leave
 * room (it cannot know the other nodes'), counts and participant lists are this node's; kicks are refused as busy
 * (they must reach every node). When Redis answers again every node puts its seats back ({@link #resync}), which
 * may leave a room over its capacity until people leave: the price of not turning everybody away meanwhile.
 */
final class SharedPresence implements Places {

    private static final Logger log = LoggerFactory.getLogger(SharedPresence.class);

    private static final RedisScript<String> ENTER = script("enter", String.class);
    private static final RedisScript<String> ARRIVE = script("arrive", String.class);
    private static final RedisScript<String> LEAVE = script("leave", String.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> RELEASE_DUE = script("release-due", List.class);
    private static final RedisScript<String> REMOVE = script("remove", String.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> MEMBERS = script("members", List.class);
    private static final RedisScript<String> MEMBER = script("member", String.class);
    private static final RedisScript<Long> PRESENT = script("present", Long.class);
    private static final RedisScript<String> LONGEST = script("longest", String.class);
    private static final RedisScript<Long> TRACK = script("track", Long.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> CLAIM_EMPTY = script("claim-empty", List.class);
    private static final RedisScript<Long> FORGET = script("forget", Long.class);
    @SuppressWarnings("rawtypes")
    private static final RedisScript<List> REAP = script("reap", List.class);
    private static final RedisScript<Long> RESTORE = script("restore", Long.class);

    private final ReactiveStringRedisTemplate redis;
    private final Nodes nodes;
    private final JsonMapper json;
    private final RoomProperties properties;
    private final Clock clock;
    private final String prefix;
    private final Duration timeout;
    private final Duration cadence;
    private final AtomicLong lastDeadCheck = new AtomicLong(Long.MIN_VALUE / 2);
    private final AtomicLong lastEmptyClaim = new AtomicLong(Long.MIN_VALUE / 2);
    /** This node's connections holding places: room → connection id → identity. */
    private final Map<String, Map<String, Identity>> seats = new ConcurrentHashMap<>();
    /**
     * The epoch under which this node's places are in Redis: the first one it saw (it had no places to put back
     * then), then the one each {@link #resync} ran under. Another epoch in Redis means Redis lost them since.
     */
    private volatile String syncedEpoch;
    /** Rooms made while Redis was down, whose empty-room timer starts once it answers. */
    private final Set<String> untracked = ConcurrentHashMap.newKeySet();

    SharedPresence(ReactiveStringRedisTemplate redis, Nodes nodes, ClusterProperties cluster, JsonMapper json,
                   RoomProperties properties, Clock clock) {
        this.redis = redis;
        this.nodes = nodes;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
        this.prefix = cluster.key("p:");
        this.timeout = cluster.commandTimeout();
        this.cadence = cluster.heartbeat();
    }

    @Override
    public Mono<Entry> enter(String roomId, String connectionId, Identity identity, int max, Predicate<String> banned) {
        return Mono.defer(() -> {
            if (banned.test(identity.id())) { // this node's bans, from the store: also after Redis lost its own
                return Mono.just(Entry.BANNED);
            }
            return run(ENTER, roomId, identity.id(), json.writeValueAsString(identity), conn(connectionId),
                    Integer.toString(max), now())
                    .map(Entry::valueOf)
                    .onErrorResume(e -> !(e instanceof Refusal), e -> Mono.just(enterAlone(roomId, identity, max, e)))
                    .doOnNext(entry -> {
                        if (entry == Entry.ENTERED || entry == Entry.ALREADY_PRESENT) {
                            seats.computeIfAbsent(roomId, id -> new ConcurrentHashMap<>()).put(connectionId, identity);
                        }
                    });
        });
    }

    /** Redis cannot be asked: this node's seats decide (put into Redis by {@link #resync} once it answers). */
    private Entry enterAlone(String roomId, Identity identity, int max, Throwable cause) {
        log.debug("Entering room {} without Redis ({}): this node's seats decide", roomId, cause.toString());
        List<Identity> here = seatedHere(roomId);
        if (here.contains(identity)) {
            return Entry.ALREADY_PRESENT;
        }
        return here.size() >= max ? Entry.FULL : Entry.ENTERED;
    }

    /** The identities with a seat on this node, each once. */
    private List<Identity> seatedHere(String roomId) {
        Map<String, Identity> room = seats.get(roomId);
        return room == null ? List.of() : room.values().stream().distinct().toList();
    }

    @Override
    public Mono<Arrival> arrive(String roomId, String connectionId, String identityId) {
        return run(ARRIVE, roomId, identityId, conn(connectionId)).map(Arrival::valueOf)
                .onErrorResume(e -> {
                    // The place is this node's (its seat): without Redis nobody can tell whether another node has
                    // announced the identity already, so its join goes unannounced rather than announced twice.
                    log.debug("Arrival in room {} without Redis ({}): no join announced", roomId, e.toString());
                    return Mono.just(isSeatedHere(roomId, identityId) ? Arrival.ALREADY_JOINED : Arrival.NO_PLACE);
                });
    }

    @Override
    public Mono<Departure> leave(String roomId, String connectionId, String identityId, boolean hold) {
        return Mono.defer(() -> {
            unseat(roomId, connectionId);
            return run(LEAVE, roomId, conn(connectionId), identityId, hold ? "1" : "0", now()).map(Departure::valueOf)
                    .onErrorResume(e -> {
                        // Left in Redis as a place of this node's: resync() releases it once Redis answers again.
                        log.debug("Could not release a place in room {} now ({}); released on resync", roomId, e.toString());
                        return Mono.just(Departure.STAYS);
                    });
        });
    }

    @Override
    public Mono<List<Exit>> releaseLeftBefore(Instant deadline) {
        return Mono.defer(() -> list(RELEASE_DUE, Long.toString(deadline.toEpochMilli()), now())).map(this::exits);
    }

    @Override
    public Mono<Identity> remove(String roomId, String identityId, Instant until, Runnable first) {
        return Mono.defer(() -> {
            first.run();
            return run(REMOVE, roomId, identityId, Long.toString(until.toEpochMilli()), now())
                    .map(this::identity)
                    .doOnNext(who -> {
                        Map<String, Identity> room = seats.get(roomId);
                        if (room != null) {
                            room.values().removeIf(seated -> seated.id().equals(identityId));
                        }
                    })
                    .onErrorMap(SharedPresence::busy);
        });
    }

    @Override
    public Mono<List<Identity>> members(String roomId) {
        return list(MEMBERS, roomId).map(list -> list.stream().filter(Objects::nonNull).map(this::identity).toList())
                .onErrorResume(e -> alone("members", roomId, e, seatedHere(roomId)));
    }

    /**
     * Asked of Redis, every time: a kick or a deletion on another node is in Redis before the notice that ends the
     * member's subscriptions here arrives, and a SEND in between must already be refused. This node's seats answer
     * while Redis cannot be asked, and when Redis does not know the room at all (it came back empty and the nodes
     * are still putting their places back: a deleted room leaves a tombstone, a kick its ban, so neither is taken
     * for that).
     */
    @Override
    public Mono<Boolean> isPresent(String roomId, String identityId) {
        String synced = syncedEpoch();
        return run(PRESENT, roomId, identityId, now(), nodes.epochKey(), synced == null ? "" : synced)
                .map(answer -> answer == 1 || (answer < 0 && isSeatedHere(roomId, identityId)))
                .onErrorResume(e -> alone("membership", roomId, e, isSeatedHere(roomId, identityId)));
    }

    @Override
    public Mono<Identity> member(String roomId, String identityId) {
        return run(MEMBER, roomId, identityId).map(this::identity)
                .onErrorResume(e -> alone("member", roomId, e, seatOf(roomId, identityId)));
    }

    /** The identity as this node seated it in the room, or null. */
    private Identity seatOf(String roomId, String identityId) {
        Map<String, Identity> room = seats.get(roomId);
        if (room != null) {
            for (Identity seated : room.values()) {
                if (seated.id().equals(identityId)) {
                    return seated;
                }
            }
        }
        return null;
    }

    @Override
    public Mono<Integer> count(String roomId) {
        return redis.opsForZSet().size(key(roomId, "order")).map(Long::intValue).timeout(timeout)
                .onErrorResume(e -> alone("count", roomId, e, seatedHere(roomId).size()));
    }

    /** What this node knows alone, while Redis cannot be asked (empty for null). */
    private static <T> Mono<T> alone(String what, String roomId, Throwable cause, T here) {
        log.debug("{} of room {} from this node alone: {}", what, roomId, cause.toString());
        return Mono.justOrEmpty(here);
    }

    @Override
    public Mono<Identity> longestPresent(String roomId) {
        return run(LONGEST, roomId).map(this::identity);
    }

    @Override
    public Mono<Boolean> isFullFor(Room room, String identityId) {
        return Mono.zip(count(room.id()), redis.opsForZSet().score(key(room.id(), "order"), identityId)
                        .map(score -> true).defaultIfEmpty(false).timeout(timeout)
                        .onErrorResume(e -> Mono.just(isSeatedHere(room.id(), identityId))))
                .map(t -> t.getT1() >= room.max() && !t.getT2());
    }

    /** Redis down: remembered, and tracked by {@link #resync} (a new room is not refused for its timer's sake). */
    @Override
    public Mono<Void> track(String roomId) {
        return run(TRACK, roomId, now()).then().onErrorResume(e -> {
            untracked.add(roomId);
            return Mono.empty();
        });
    }

    /**
     * Asked at most once per heartbeat: the janitor ticks every second on every node, and an empty room waits
     * {@code gifchat.rooms.empty-grace} (30 s) anyway — a Redis call a second for it is an idle node's largest cost.
     */
    @Override
    public Mono<List<String>> emptyBefore(Instant deadline) {
        return Mono.defer(() -> due(lastEmptyClaim)
                ? list(CLAIM_EMPTY, Long.toString(deadline.toEpochMilli())) : Mono.just(List.<String>of()));
    }

    /** Whether a periodic Redis question is due again: at most once per heartbeat. */
    private boolean due(AtomicLong last) {
        long now = clock.millis();
        long before = last.get();
        return now - before >= cadence.toMillis() && last.compareAndSet(before, now);
    }

    @Override
    public Mono<Void> forget(String roomId) {
        return Mono.defer(() -> {
            seats.remove(roomId);
            return run(FORGET, roomId, "0").then();
        });
    }

    @Override
    public Mono<Void> forgetEmpty(String roomId) {
        return run(FORGET, roomId, "1").then();
    }

    /**
     * Nodes not heard of within the node timeout: the survivor that buries one releases its places. Asked at most
     * once per heartbeat (a node is dead only after several missed ones).
     */
    @Override
    public Mono<List<Exit>> releaseDeadNodes() {
        if (!due(lastDeadCheck)) {
            return Mono.just(List.of());
        }
        boolean hold = !properties.leaveGrace().isZero();
        return nodes.dead()
                .concatMap(dead -> nodes.bury(dead).filter(Boolean::booleanValue)
                        .flatMap(buried -> {
                            log.info("Node {} is gone: releasing its members' places", dead);
                            return list(REAP, dead, now(), hold ? "1" : "0");
                        }))
                .map(this::exits)
                .flatMapIterable(exits -> exits)
                .collectList()
                .timeout(timeout.multipliedBy(4));
    }

    /**
     * Puts this node's places right after Redis lost them or could not be told of a change: places Redis holds for
     * connections this node no longer has are released (as leaving), and every seat this node has is put back.
     */
    @Override
    public Mono<List<Exit>> resync() {
        boolean hold = !properties.leaveGrace().isZero();
        return Mono.defer(() -> {
            List<String> reap = new ArrayList<>(List.of(prefix, nodes.self().id(), now(), hold ? "1" : "0"));
            List<String[]> restore = new ArrayList<>();
            seats.forEach((room, connections) -> connections.forEach((connection, who) -> {
                reap.add(room + "\n" + conn(connection));
                restore.add(new String[] {room, who.id(), json.writeValueAsString(who), conn(connection)});
            }));
            List<String> tracking = List.copyOf(untracked);
            String epoch = nodes.epoch();
            return redis.execute(REAP, List.of(), reap).next().map(this::exits)
                    .flatMap(exits -> Flux.fromIterable(restore)
                            .concatMap(seat -> run(RESTORE, seat))
                            .thenMany(Flux.fromIterable(tracking).concatMap(roomId -> run(TRACK, roomId, now())
                                    .doOnSuccess(done -> untracked.remove(roomId))))
                            .then(Mono.just(exits)))
                    .doOnSuccess(exits -> {
                        syncedEpoch = epoch;
                        log.info("Put {} places of this node back into Redis", restore.size());
                    })
                    .timeout(timeout.multipliedBy(4));
        });
    }

    private String syncedEpoch() {
        String synced = syncedEpoch;
        if (synced == null) {
            syncedEpoch = synced = nodes.epoch();
        }
        return synced;
    }

    private boolean isSeatedHere(String roomId, String identityId) {
        return seatOf(roomId, identityId) != null;
    }

    private void unseat(String roomId, String connectionId) {
        seats.computeIfPresent(roomId, (id, room) -> {
            room.remove(connectionId);
            return room.isEmpty() ? null : room;
        });
    }

    /** room, identity JSON, left at; repeated. */
    @SuppressWarnings("unchecked")
    private List<Exit> exits(List<?> flat) {
        List<Exit> exits = new ArrayList<>(flat.size() / 3);
        for (int i = 0; i + 2 < flat.size(); i += 3) {
            exits.add(new Exit((String) flat.get(i), identity((String) flat.get(i + 1)),
                    Instant.ofEpochMilli(Long.parseLong((String) flat.get(i + 2)))));
        }
        return exits;
    }

    private <T> Mono<T> run(RedisScript<T> script, String... args) {
        List<String> all = new ArrayList<>(args.length + 1);
        all.add(prefix);
        all.addAll(List.of(args));
        return redis.execute(script, List.of(), all).next().timeout(timeout);
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private Mono<List<String>> list(RedisScript<List> script, String... args) {
        return run(script, args).map(list -> (List<String>) list).defaultIfEmpty(List.of());
    }

    private Identity identity(String text) {
        return json.readValue(text, Identity.class);
    }

    private String conn(String connectionId) {
        return nodes.self().id() + "/" + connectionId;
    }

    private String key(String roomId, String part) {
        return prefix + "r:" + roomId + ":" + part;
    }

    private String now() {
        return Long.toString(clock.millis());
    }

    private static Throwable busy(Throwable e) {
        if (e instanceof Refusal) {
            return e;
        }
        log.debug("Shared presence unavailable: {}", e.toString());
        return Refusal.of(Refusal.Reason.BUSY, "Rooms cannot be reached right now; try again in a moment.");
    }

    private static <T> RedisScript<T> script(String name, Class<T> type) {
        try {
            String prelude = StreamUtils.copyToString(new ClassPathResource("presence/prelude.lua").getInputStream(), UTF_8);
            String body = StreamUtils.copyToString(new ClassPathResource("presence/" + name + ".lua").getInputStream(), UTF_8);
            return RedisScript.of(prelude + "\n" + body, type);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("presence script " + name + " is missing", e);
        }
    }
}
