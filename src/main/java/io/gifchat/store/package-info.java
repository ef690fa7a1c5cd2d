/**
 * The store: the embedded MongoDB-wire server used when no {@code spring.mongodb.uri} is set, making writes durable
 * before they are acknowledged, Mongo client timeouts and the one-line outage log, health by {@code ping}, and
 * index creation that waits for MongoDB.
 */
@ApplicationModule(displayName = "Store", allowedDependencies = {})
package io.gifchat.store;

import org.springframework.modulith.ApplicationModule;
