package io.gifchat.cluster;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** One node (the default): a bulletin with nobody to tell, and nothing of Redis in the context. */
class LocalBulletinTest {

    @Test
    void oneNodesBulletinTellsNobodyAndHasNoRedisToTouch() {
        new ApplicationContextRunner()
                .withUserConfiguration(SingleNodeConfiguration.class, NodeConfiguration.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(Bulletin.class);
                    assertThat(context.getBean(Bulletin.class)).isInstanceOf(LocalBulletin.class);
                    assertThat(context).doesNotHaveBean(Relay.class).doesNotHaveBean(RedisClient.class)
                            .doesNotHaveBean(StatefulRedisPubSubConnection.class);
                    context.getBean(Bulletin.class).post(new Notice.RoomDeleted("r1")); // nothing to fail
                });
    }
}
