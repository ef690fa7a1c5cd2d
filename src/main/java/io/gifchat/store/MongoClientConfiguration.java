package io.gifchat.store;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.mongodb.WriteConcern;
import org.springframework.boot.mongodb.autoconfigure.MongoClientSettingsBuilderCustomizer;
import org.springframework.boot.mongodb.autoconfigure.MongoConnectionDetails;
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

    /**
     * Every write is acknowledged only once it is in the journal of a majority of the replica set ({@link
     * #durableWrites}), so a RECEIPT never stands for a line that a crash or a failover can still take back. A
     * write concern given in the URI ({@code ?w=…&journal=…}) is the operator's choice and is kept.
     */
    @Bean
    MongoClientSettingsBuilderCustomizer mongoDurableWrites(MongoProperties properties, MongoConnectionDetails connection) {
        WriteConcern fromUri = connection.getConnectionString().getWriteConcern();
        return settings -> settings.writeConcern(fromUri != null ? fromUri : durableWrites(properties.writeTimeout()));
    }

    /**
     * {@code w: "majority", j: true}: on a replica set, acknowledged once a majority of its data-bearing voting
     * members have the write in their on-disk journals (it can no longer be rolled back); on a standalone server
     * "majority" is that one server, and {@code j: true} makes it wait for its journal. {@code wtimeout} bounds the
     * wait when too few members are up: the write is then reported failed though it may still become durable, which
     * is what a sender's retry key is for.
     */
    static WriteConcern durableWrites(Duration timeout) {
        return WriteConcern.MAJORITY.withJournal(true).withWTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
}
