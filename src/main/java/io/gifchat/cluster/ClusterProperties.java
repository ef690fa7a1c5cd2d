package io.gifchat.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Running as one of several nodes ({@code GIFCHAT_CLUSTER_ENABLED}); Redis is Boot's own {@code spring.data.redis.url}
 * and the shared MongoDB {@code spring.mongodb.uri}. The README's configuration table lists the same.
 *
 * @param enabled          false (the default): one node, in-memory broker, Redis unused
 * @param namespace        prefix of every Redis key and channel this cluster uses: clusters (or test runs) sharing
 *                         one Redis keep apart by it
 * @param heartbeat        how often a node tells Redis it is alive, and repairs its pub/sub subscriptions
 * @param nodeTimeout      a node not heard of for this long is dead: the others remove its members' presence
 * @param subscribeTimeout how long a SUBSCRIBE waits for Redis to confirm the node listens to its destination (its
 *                         RECEIPT then means messages from every node reach it); past it, the SUBSCRIBE goes on
 *                         (Redis down: local delivery only, the seq catch-up fills the rest)
 * @param reorderWait      how long a room's line waits for an earlier seq still on its way from another node
 *                         before the gap is read from the store
 * @param commandTimeout   the longest any request waits for Redis (shared presence, budgets) before it is refused
 *                         as busy
 */
@ConfigurationProperties("gifchat.cluster")
public record ClusterProperties(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("gifchat") String namespace,
        @DefaultValue("2s") Duration heartbeat,
        @DefaultValue("10s") Duration nodeTimeout,
        @DefaultValue("2s") Duration subscribeTimeout,
        @DefaultValue("150ms") Duration reorderWait,
        @DefaultValue("2s") Duration commandTimeout) {

    /** The Redis key or channel {@code name} within this cluster's namespace. */
    public String key(String name) {
        return namespace + ":" + name;
    }
}
