package io.gifchat.room;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.gifchat.cluster.Bulletin;
import io.gifchat.cluster.Notice;
import io.gifchat.cluster.NoticeArrived;
import io.gifchat.domain.Announcer;
import io.gifchat.messaging.Subscriptions;
import io.gifchat.messaging.Wire;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/**
 * Deleting a room (empty for the grace period, by its owner, or by the administrator): nobody can enter or send
 * any more, members are told and their subscriptions end, the room and its admissions, bans, password tries, typing throttles and creation keys go, and
 * {@link RoomEvents.Deleted} lets the modules above remove the rest (lines, GIFs).
 * <p>
 * In a cluster the other nodes end their members' subscriptions too (through {@link Subscriptions}), and once the
 * room is gone from the store they are told ({@link Notice.RoomDeleted}): each drops what it keeps of the room and
 * announces {@link RoomEvents.DeletedElsewhere} for the modules above (a room log still open there).
 */
@Component
public class RoomDeletion {

    private static final Logger log = LoggerFactory.getLogger(RoomDeletion.class);

    private final Rooms rooms;
    private final Places presence;
    private final Admissions admissions;
    private final Bans bans;
    private final PasswordAttempts attempts;
    private final TypingSignals typing;
    private final Subscriptions subscriptions;
    private final Wire wire;
    private final Announcer announcer;
    private final RoomCreations creations;
    private final Bulletin bulletin;

    RoomDeletion(Rooms rooms, Places presence, Admissions admissions, Bans bans, PasswordAttempts attempts,
                 TypingSignals typing, Subscriptions subscriptions, Wire wire, Announcer announcer,
                 RoomCreations creations, Bulletin bulletin) {
        this.creations = creations;
        this.bulletin = bulletin;
        this.rooms = rooms;
        this.presence = presence;
        this.admissions = admissions;
        this.bans = bans;
        this.attempts = attempts;
        this.typing = typing;
        this.subscriptions = subscriptions;
        this.wire = wire;
        this.announcer = announcer;
    }

    /**
     * Deletes the room; the returned Mono completes when everything is gone. Once begun, the deletion runs to its
     * end even if whoever asked stops waiting (the owner closes the tab, a request times out): cut short, it would
     * leave a room nobody can enter whose log still takes lines, or lines and GIFs that no later deletion removes.
     * A failure nobody waits for any more is logged.
     */
    public Mono<Void> delete(Room room) {
        return Mono.defer(() -> {
            AtomicBoolean abandoned = new AtomicBoolean();
            CompletableFuture<Void> done = steps(room)
                    .doOnError(e -> {
                        if (abandoned.get()) {
                            log.warn("Deleting room {} failed after its caller stopped waiting: {}", room.id(), e.toString());
                        }
                    })
                    .toFuture();
            return Mono.fromFuture(done, true).doOnCancel(() -> abandoned.set(true));
        });
    }

    private Mono<Void> steps(Room room) {
        String id = room.id();
        return presence.forget(id) // from here on membership checks refuse: nothing new is sent to the room
                .then(Mono.fromRunnable(() -> wire.publish(RoomTopics.room(id), new RoomWire.RoomDeleted(id))))
                .then(subscriptions.endAll(RoomTopics.room(id), RoomTopics.typing(id)))
                .then(rooms.delete(id))
                .then(admissions.forget(id))
                .then(bans.forget(id))
                .then(Mono.fromRunnable(() -> {
                    attempts.forget(id);
                    typing.forget(id);
                    creations.forget(id);
                    // Not before the room is gone from the store: a room log opened on another node after its notice
                    // would find the room still there, and go on taking lines.
                    bulletin.post(new Notice.RoomDeleted(id));
                }))
                .then(announcer.announce(() -> new RoomEvents.Deleted(room)));
    }

    /** Deleted on another node: what this node keeps of the room goes, and the modules above are told. */
    @EventListener
    void on(NoticeArrived event) {
        if (event.notice() instanceof Notice.RoomDeleted deleted) {
            String id = deleted.room();
            bans.drop(id);
            attempts.forget(id);
            typing.forget(id);
            creations.forget(id);
            event.andThen(announcer.announce(() -> new RoomEvents.DeletedElsewhere(id)));
            // The deleting node forgot the shared places first; this drops this node's seats of the room (and what a
            // SUBSCRIBE that raced the deletion put back since). Separate work: Redis failing does not keep the room
            // log above open.
            event.andThen(presence.forget(id));
        }
    }
}
