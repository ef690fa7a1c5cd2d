package io.gifchat.limits;

import java.time.Clock;

import io.gifchat.cluster.ClusterProperties;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one {@link BucketStore}: in memory on one node, in Redis in cluster mode. */
@Configuration(proxyBeanMethods = false)
class BucketStoreConfiguration {

    @Bean
    @ConditionalOnProperty(name = "gifchat.cluster.enabled", havingValue = "false", matchIfMissing = true)
    BucketStore bucketsInMemory(Clock clock) {
        return BucketStore.inMemory(clock);
    }

    /** On the cluster's own command connection: one more per node would buy nothing (Lettuce pipelines). */
    @Bean
    @ConditionalOnProperty(name = "gifchat.cluster.enabled", havingValue = "true")
    BucketStore bucketsInRedis(@Qualifier("clusterCommands") StatefulRedisConnection<byte[], byte[]> redis,
                               ClusterProperties cluster, LimitsProperties limits, Clock clock) {
        return BucketStore.inRedis(redis, cluster, clock, limits.sharedTimeout());
    }
}
