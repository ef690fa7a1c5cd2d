package io.gifchat.store;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

@Configuration(proxyBeanMethods = false)
class StoreDurabilityConfiguration {

    /**
     * A real MongoDB acknowledges a write once a majority journaled it, so there is nothing to flush, and a write
     * found stored is made durable by a journaled majority write after it ({@link DurabilityBarrier}). The embedded
     * memory store has nothing to sync. The embedded file store commits its H2 file, one group commit at a time.
     */
    @Bean
    StoreDurability storeDurability(ObjectProvider<EmbeddedMongo> embedded, Scheduler storeCommits,
                                    ReactiveMongoTemplate mongo, MongoProperties properties) {
        EmbeddedMongo store = embedded.getIfAvailable(); // absent when spring.mongodb.uri names a real MongoDB
        if (store == null) {
            return new DurabilityBarrier(mongo, MongoClientConfiguration.durableWrites(properties.writeTimeout()));
        }
        if (!store.isFile()) {
            return Mono::empty;
        }
        return new GroupCommit(store::commit, storeCommits);
    }

    /** One thread: commits run one at a time anyway, and a blocked disk must not take threads from anyone else. */
    @Bean(destroyMethod = "dispose")
    Scheduler storeCommits() {
        return Schedulers.newSingle("store-commit");
    }
}
