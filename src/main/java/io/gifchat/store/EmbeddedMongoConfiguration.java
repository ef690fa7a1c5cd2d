package io.gifchat.store;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;
import reactor.core.scheduler.Scheduler;

/** Starts the embedded store only when no real MongoDB is configured with {@code spring.mongodb.uri}. */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedMongoConfiguration.NoMongoUri.class)
class EmbeddedMongoConfiguration {

    @Bean(destroyMethod = "close")
    EmbeddedMongo embeddedMongo(EmbeddedMongoProperties properties) {
        return new EmbeddedMongo(properties);
    }

    @Bean
    StoreHousekeeping storeHousekeeping(EmbeddedMongo embeddedMongo, Scheduler storeCommits) {
        return new StoreHousekeeping(embeddedMongo, storeCommits);
    }

    static class NoMongoUri implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            return !StringUtils.hasText(context.getEnvironment().getProperty("spring.mongodb.uri"));
        }
    }
}
