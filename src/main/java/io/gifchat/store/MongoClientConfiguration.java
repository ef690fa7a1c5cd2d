package io.gifchat.store;

import java.util.concurrent.TimeUnit;

import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class MongoClientConfiguration {

    @Bean
    MongoClientSettingsBuilderCustomizer mongoTimeoutsAndReachabilityLog(MongoProperties properties) {
        return settings -> settings
                .applyToClusterSettings(cluster -> cluster
                        .serverSelectionTimeout(properties.serverSelectionTimeout().toMillis(), TimeUnit.MILLISECONDS)
                        .addClusterListener(new MongoReachability()))
                .applyToSocketSettings(socket -> socket
                        .connectTimeout((int) properties.connectTimeout().toMillis(), TimeUnit.MILLISECONDS));
    }
}
