package io.gifchat.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.stereotype.Component;
import reactor.netty.NettyPipeline;
import reactor.netty.http.server.HttpServer;

/** Installs the {@link HeaderDeadline} on every HTTP/1.1 connection. */
@Component
class HttpTimeouts implements NettyServerCustomizer {

    private static final Logger log = LoggerFactory.getLogger(HttpTimeouts.class);

    private final long headerReadMillis;

    HttpTimeouts(HttpProperties properties) {
        this.headerReadMillis = properties.headerReadTimeout().toMillis();
    }

    @Override
    public HttpServer apply(HttpServer server) {
        // Reactor Netty configures its HTTP handlers first, then calls this, so the codec is in place.
        return server.doOnChannelInit((observer, channel, remote) -> {
            var pipeline = channel.pipeline();
            if (pipeline.get(NettyPipeline.HttpCodec) == null) {
                log.debug("No HTTP/1.1 codec on {}: no header-read deadline", channel);
                return;
            }
            HeaderDeadline deadline = new HeaderDeadline(headerReadMillis);
            pipeline.addBefore(NettyPipeline.HttpCodec, "gifchat.header-deadline.bytes", deadline.bytes);
            pipeline.addAfter(NettyPipeline.HttpCodec, "gifchat.header-deadline.messages", deadline.messages);
        });
    }
}
