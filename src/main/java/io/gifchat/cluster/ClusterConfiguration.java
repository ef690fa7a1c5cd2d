package io.gifchat.cluster;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.List;

import io.gifchat.broker.Broker;
import io.gifchat.domain.Announcer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.StringUtils;

/**
 * Cluster mode: Boot's Lettuce client (from {@code spring.data.redis.url}), told to refuse commands while
 * disconnected instead of queueing them, two connections of this node's own on it (the relay's pub/sub, which
 * also publishes, and commands), the relay, the fan-out that makes the broker, the bulletin of notices between
 * nodes, the heartbeat and the {@code cluster} health component.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "gifchat.cluster.enabled", havingValue = "true")
class ClusterConfiguration {

    /** Checked first: a node on its embedded store refuses to start (each would have its own data). */
    ClusterConfiguration(Environment environment) {
        if (!StringUtils.hasText(environment.getProperty("spring.mongodb.uri"))) {
            throw new SharedStoreRequired();
        }
    }

    /**
     * Redis down: a command fails at once rather than waiting in a queue to go out, stale, after the reconnect
     * (publishes, budgets and presence then take their outage paths); Lettuce still reconnects by itself. RESP3,
     * never RESP2: the relay publishes on its subscribed connection, which RESP2 forbids (a Redis older than 6
     * refuses the connection at start, see {@link #clusterPubSub}).
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer rejectWhileDisconnected() {
        return options -> options.autoReconnect(true)
                .protocolVersion(ProtocolVersion.RESP3)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    /**
     * Lettuce waits longer and longer between reconnects, up to 30 s: after a long outage cross-node delivery would
     * resume up to half a minute after Redis is back. Capped at 2 s: a node tries often, and a reconnect is cheap.
     */
    @Bean
    ClientResourcesBuilderCustomizer reconnectQuickly() {
        return resources -> resources.reconnectDelay(
                Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS));
    }

    @Bean
    RedisClient redisClient(LettuceConnectionFactory factory) {
        if (!(factory.getNativeClient() instanceof RedisClient client)) {
            throw new IllegalStateException("Cluster mode runs on one Redis (spring.data.redis.url), not a Redis Cluster");
        }
        return client;
    }

    /**
     * Not closed as a bean ({@code destroyMethod = ""}, else Spring infers {@code close}): the client's shutdown
     * closes it, when Boot's connection factory stops (lifecycle phase 0, after the heartbeat has left the set and
     * the web server has drained) — a close after that only logs "Connection is already closed".
     */
    @Bean(destroyMethod = "")
    StatefulRedisConnection<byte[], byte[]> clusterCommands(RedisClient client) {
        return client.connect(ByteArrayCodec.INSTANCE);
    }

    /**
     * The relay's: subscriptions and publishes. Closed by the client's shutdown, as {@link #clusterCommands}. A Redis
     * that does not speak RESP3 (older than 6: no {@code HELLO}) is refused here with one line saying so.
     */
    @Bean(destroyMethod = "")
    StatefulRedisPubSubConnection<byte[], byte[]> clusterPubSub(RedisClient client) {
        try {
            return client.connectPubSub(ByteArrayCodec.INSTANCE);
        } catch (RedisConnectionException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (String.valueOf(cause.getMessage()).contains("HELLO")) {
                    throw new IllegalStateException("Cluster mode needs Redis 6 or newer (RESP3); this Redis refused "
                            + "HELLO: " + cause.getMessage(), e);
                }
            }
            throw e;
        }
    }

    @Bean
    Relay relay(ClusterProperties properties, Node node, StatefulRedisPubSubConnection<byte[], byte[]> clusterPubSub) {
        return new Relay(properties, node, clusterPubSub);
    }

    @Bean
    RedisFanout fanout(Relay relay, Node node, List<Ordering> orderings) {
        return new RedisFanout(relay, node, orderings);
    }

    @Bean
    Broker broker(RedisFanout fanout) {
        return fanout.broker();
    }

    @Bean
    RedisBulletin bulletin(Relay relay, Node node, Announcer announcer) {
        return new RedisBulletin(relay, node, announcer);
    }

    @Bean
    RedisErrands errands(Relay relay, Node node) {
        return new RedisErrands(relay, node);
    }

    @Bean
    Nodes nodes(StatefulRedisConnection<byte[], byte[]> clusterCommands, ClusterProperties properties, Node node,
                Clock clock) {
        return new Nodes(clusterCommands, properties, node, clock);
    }

    @Bean
    Heartbeat heartbeat(Nodes nodes, Relay relay, Announcer announcer, ClusterProperties properties) {
        return new Heartbeat(nodes, relay, announcer, properties);
    }

    @Bean("clusterHealthIndicator")
    ClusterHealth clusterHealth(Nodes nodes, Relay relay) {
        return new ClusterHealth(nodes, relay);
    }
}
