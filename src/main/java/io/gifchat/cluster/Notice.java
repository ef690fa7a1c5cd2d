package io.gifchat.cluster;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one node tells the others about an action whose effect must reach their own state too: subscriptions the
 * server ends, a room deleted, a ban set. Small records, posted on the {@link Bulletin} and announced on every other
 * node as {@link NoticeArrived}. They are the nodes' contract with each other, encoded in one place
 * ({@link PostedNotice}), so a new kind is added here and there; the cluster module only carries them and knows no
 * room or chat code — the modules that post a kind also act on it.
 */
public sealed interface Notice {

    /**
     * The subscriptions to these destinations end: of one identity's connections, or of everybody's ({@code identity}
     * null), as if each client had sent UNSUBSCRIBE.
     */
    record SubscriptionsEnded(String identity, List<String> destinations) implements Notice {
        public SubscriptionsEnded {
            destinations = List.copyOf(destinations);
        }
    }

    /** A room was deleted; the node where it happened removed what is stored, each node drops what it keeps. */
    record RoomDeleted(String room) implements Notice {
        public RoomDeleted {
            Objects.requireNonNull(room);
        }
    }

    /** An identity was kicked from a room and may not enter it again before {@code until}. */
    record Banned(String room, String identity, Instant until) implements Notice {
        public Banned {
            Objects.requireNonNull(room);
            Objects.requireNonNull(identity);
            Objects.requireNonNull(until);
        }
    }
}
