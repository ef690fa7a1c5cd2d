package io.gifchat.cluster;

/** Cluster mode on the embedded store: each node would hold its own data, so the node refuses to start. */
final class SharedStoreRequired extends RuntimeException {

    SharedStoreRequired() {
        super("Cluster mode (gifchat.cluster.enabled=true) needs a MongoDB shared by every node: set spring.mongodb.uri "
                + "(SPRING_MONGODB_URI); on the embedded store each node would keep its own rooms and messages.");
    }
}
