package io.gifchat.cluster;

import java.util.UUID;

/**
 * This process as one node of the cluster: a fresh id on every start, so a restarted node is a new one and what
 * the dead one held (presence) is released by the others rather than taken over.
 */
public record Node(String id) {

    public static Node fresh() {
        return new Node(UUID.randomUUID().toString().replace("-", "").substring(0, 12));
    }
}
