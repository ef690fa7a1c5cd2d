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
 */
@ConfigurationProperties("gifchat.http")
public record HttpProperties(@DefaultValue("10s") Duration headerReadTimeout) {
}
