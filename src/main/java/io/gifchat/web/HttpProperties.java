package io.gifchat.web;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The HTTP server's own deadlines, besides Boot's {@code server.netty.idle-timeout} (how long a kept-alive
 * connection may wait for its next request).
 *
 * @param headerReadTimeout longest a request may take from its first byte to the end of its headers; a client
 *                          dripping a header a byte at a time (slowloris) gets 408 and the connection closes
 * @param warmUp            once the app is ready, ask the server itself for what a first visitor's page needs
 *                          (see {@link WarmUp}), so that visitor does not wait for the JVM's first-time work
 */
@ConfigurationProperties("gifchat.http")
public record HttpProperties(@DefaultValue("10s") Duration headerReadTimeout, @DefaultValue("true") boolean warmUp) {
}
