package io.gifchat.cluster;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.ReactiveHealthIndicator;
import reactor.core.publisher.Mono;

/**
 * The {@code cluster} component of {@code /actuator/health}: UP while Redis answers, with this node's id and the
 * live nodes; DOWN with the reason while it does not (this node then serves its own clients only, and Redis
 * reconnects by itself).
 */
final class ClusterHealth implements ReactiveHealthIndicator {

    private final Nodes nodes;
    private final Relay relay;

    ClusterHealth(Nodes nodes, Relay relay) {
        this.nodes = nodes;
        this.relay = relay;
    }

    @Override
    public Mono<Health> health() {
        if (!relay.isConnected()) {
            return Mono.just(down("Redis is not connected"));
        }
        return nodes.live()
                .map(live -> Health.up().withDetail("node", nodes.self().id()).withDetail("nodes", live)
                        .withDetail("undelivered", relay.undelivered()).build())
                .onErrorResume(e -> Mono.just(down(e.getMessage())));
    }

    private Health down(String reason) {
        return Health.down().withDetail("node", nodes.self().id()).withDetail("error", reason)
                .withDetail("undelivered", relay.undelivered()).build();
    }
}
