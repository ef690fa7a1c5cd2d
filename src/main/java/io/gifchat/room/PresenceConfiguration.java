package io.gifchat.room;

import java.time.Clock;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Presence in this node's memory (one node), or in Redis shared by every node (cluster mode). */
@Configuration(proxyBeanMethods = false)
class PresenceConfiguration {

    @Bean
    @ConditionalOnProperty(name = "gifchat.cluster.enabled", havingValue = "false", matchIfMissing = true)
    Places nodePresence(Clock clock) {
        return new NodePresence(clock);
    }
}
