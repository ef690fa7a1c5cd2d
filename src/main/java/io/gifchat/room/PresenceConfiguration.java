package io.gifchat.room;

import java.time.Clock;

import io.gifchat.cluster.ClusterProperties;
import io.gifchat.cluster.Nodes;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import tools.jackson.databind.json.JsonMapper;

/** Presence in this node's memory (one node), or in Redis shared by every node (cluster mode). */
@Configuration(proxyBeanMethods = false)
class PresenceConfiguration {

    @Bean
    @ConditionalOnProperty(name = "gifchat.cluster.enabled", havingValue = "false", matchIfMissing = true)
    Places nodePresence(Clock clock) {
        return new NodePresence(clock);
    }

    @Bean
    @ConditionalOnProperty(name = "gifchat.cluster.enabled", havingValue = "true")
    Places sharedPresence(ReactiveStringRedisTemplate redis, Nodes nodes, ClusterProperties cluster, JsonMapper json,
                          RoomProperties properties, Clock clock) {
        return new SharedPresence(redis, nodes, cluster, json, properties, clock);
    }
}
