/**
 * Several identical nodes as one chat server, on Redis: this node's id and liveness, and the fan-out of every
 * publish to {@code /topic/...} and every {@code /user/queue/...} send to the subscribers on every node
 * ({@link io.gifchat.cluster.Fanout}). A node listens in Redis only to the destinations it has subscribers for.
 * Destinations whose messages carry an order ({@link io.gifchat.cluster.Ordering}, a room's chat lines by seq) are
 * handed to their orderer instead of straight to the subscribers. Notices every node acts on
 * ({@link io.gifchat.cluster.Bulletin}) and errands for one named node ({@link io.gifchat.cluster.Errands}, a
 * fallback connection's POSTs to the node holding its stream). Single node ({@code gifchat.cluster.enabled}
 * false, the default): the same interfaces, straight to this node's broker, and Redis is never touched.
 */
@ApplicationModule(displayName = "Cluster (Redis)", allowedDependencies = {"broker", "stomp", "domain"})
package io.gifchat.cluster;

import org.springframework.modulith.ApplicationModule;
