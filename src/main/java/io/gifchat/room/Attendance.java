package io.gifchat.room;

import java.time.Clock;
import java.util.List;

import io.gifchat.cluster.ClusterEvents;
import io.gifchat.messaging.ConnectionEvents;
import io.gifchat.messaging.Subscriptions;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Presence follows subscriptions to room topics: the first one of an identity is its join, the end of its last one
 * (unsubscribe, closed tab, lost connection) its exit — announced only once the identity has not come back within
 * {@code gifchat.rooms.leave-grace}, so a reload or a blip, or a client churning SUBSCRIBE/UNSUBSCRIBE, announces
 * nothing. Several tabs count once. The place itself was taken when the SUBSCRIBE was authorized
 * ({@link RoomAccess#enter}); here the join and the exit are announced.
 */
@Component
class Attendance {

    private final Places presence;
    private final Ownership ownership;
    private final Subscriptions subscriptions;
    private final RoomProperties properties;
    private final Clock clock;

    Attendance(Places presence, Ownership ownership, Subscriptions subscriptions, RoomProperties properties,
               Clock clock) {
        this.presence = presence;
        this.ownership = ownership;
        this.subscriptions = subscriptions;
        this.properties = properties;
        this.clock = clock;
    }

    @EventListener
    void on(ConnectionEvents.Subscribed event) {
        String destination = event.subscription().destination();
        String roomId = RoomTopics.roomOf(destination);
        if (roomId == null) {
            return;
        }
        var who = event.connection().identity();
        event.andThen(presence.arrive(roomId, event.connection().id(), who.id()).flatMap(arrival -> switch (arrival) {
            case JOINED -> ownership.joined(roomId, who);
            case ALREADY_JOINED -> Mono.<Void>empty();
            // Kicked or the room deleted between the entrance and the registration: the ending of subscriptions
            // did not see this one yet, so it ends here, or it would read the room without a place in it.
            case NO_PLACE -> subscriptions.endOn(event.connection(), destination::equals);
        }));
    }

    @EventListener
    void on(ConnectionEvents.Unsubscribed event) {
        String roomId = RoomTopics.roomOf(event.subscription().destination());
        if (roomId == null) {
            return;
        }
        var who = event.connection().identity();
        // The connection left the room: its typing signals go too (they would tell it what the room does).
        event.andThen(subscriptions.endOn(event.connection(), RoomTopics.typing(roomId)::equals));
        boolean hold = !properties.leaveGrace().isZero();
        event.andThen(presence.leave(roomId, event.connection().id(), who.id(), hold)
                .flatMap(departure -> departure == Places.Departure.LEFT ? ownership.left(roomId, who, clock.instant())
                        : Mono.<Void>empty()));
    }

    /**
     * The exits of identities whose leave-grace passed without them coming back, and of those whose node died; on
     * the janitor's tick.
     */
    Mono<Void> announceDueExits() {
        return announce(Mono.defer(presence::releaseDeadNodes))
                .then(announce(Mono.defer(() -> presence.releaseLeftBefore(clock.instant().minus(properties.leaveGrace())))));
    }

    /** Redis is back, or came back empty: this node's places are put right, and what that released announced. */
    @EventListener
    void on(ClusterEvents.RedisRecovered event) {
        event.andThen(announce(presence.resync()));
    }

    private Mono<Void> announce(Mono<List<Places.Exit>> exits) {
        return exits.flatMapMany(Flux::fromIterable)
                .concatMapDelayError(exit -> ownership.left(exit.room(), exit.who(), exit.leftAt()))
                .then();
    }
}
