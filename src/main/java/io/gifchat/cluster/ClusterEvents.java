package io.gifchat.cluster;

import io.gifchat.domain.Announcement;

/** What happens to the cluster itself, announced for the modules that keep state in Redis. */
public final class ClusterEvents {

    private ClusterEvents() {
    }

    /**
     * Redis answers again after this node could not reach it, or it lost what it held (restarted without
     * persistence): what this node knows of its own clients (their places in rooms) is to be put back.
     */
    public static final class RedisRecovered extends Announcement {
        private final boolean dataLost;

        RedisRecovered(boolean dataLost) {
            this.dataLost = dataLost;
        }

        /** Redis came back empty (its epoch key was gone), not just reachable again. */
        public boolean dataLost() {
            return dataLost;
        }

        @Override
        public String toString() {
            return "RedisRecovered[dataLost=" + dataLost + "]";
        }
    }
}
