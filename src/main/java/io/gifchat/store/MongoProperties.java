package io.gifchat.store;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the app waits for MongoDB, real or embedded.
 *
 * @param serverSelectionTimeout how long an operation waits for a reachable server before failing; short, so that
 *                               health turns DOWN quickly instead of hanging when MongoDB is unreachable
 * @param connectTimeout         TCP connect timeout
 * @param writeTimeout           how long a write waits for a majority of a replica set to journal it ({@code
 *                               wtimeout}) before it is reported failed
 */
@ConfigurationProperties("gifchat.mongo")
public record MongoProperties(
        @DefaultValue("5s") Duration serverSelectionTimeout,
        @DefaultValue("3s") Duration connectTimeout,
        @DefaultValue("5s") Duration writeTimeout) {
}
