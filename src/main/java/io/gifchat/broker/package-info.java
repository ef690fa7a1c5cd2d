/**
 * Exact-destination pub/sub and per-identity user queues: the subscriptions of each destination, fan-out of one
 * encoded MESSAGE into every subscriber's queue. Knows only the protocol.
 */
@ApplicationModule(displayName = "Broker", allowedDependencies = {"stomp"})
package io.gifchat.broker;

import org.springframework.modulith.ApplicationModule;
