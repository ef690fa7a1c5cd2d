package io.gifchat.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import io.gifchat.stomp.StompLimits;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The STOMP endpoint at {@code /ws}.
 *
 * @param allowedOrigins            origins besides the page's own that may open the WebSocket (browsers send
 *                                  Origin; a handshake without one, from a non-browser client, is allowed)
 * @param connectTimeout            how long a new connection may take to send CONNECT
 * @param heartbeatSend             how often the server offers to send heart-beats (the {@code sx} of CONNECTED)
 * @param heartbeatReceive          how often the server wants the client's heart-beats (the {@code sy})
 * @param shutdownDrain             how long a graceful shutdown waits for the answers to the {@code /app} SENDs it
 *                                  had accepted before it tells every connection the server is going away
 * @param idleTimeout               how long a connection may send nothing at all (no frame, no heart-beat EOL)
 *                                  before it is closed with ERROR {@code idle timeout}, whatever heart-beats it
 *                                  negotiated; {@code 0s} = never
 * @param maxFrameSize              largest frame a client may send, headers and body together
 * @param maxHeaders                most headers in one frame
 * @param maxHeaderLine             longest header line
 * @param maxSubscriptions          most subscriptions one connection may hold
 * @param maxConnectionsPerIdentity most simultaneous connections of one identity (browser tabs)
 * @param outboundFrames            frames a connection may have queued before it counts as a slow consumer
 * @param outboundSize              bytes a connection may have queued before it counts as a slow consumer
 * @param maxPendingSends           application SENDs ({@code /app/...}) of one connection that may wait for their
 *                                  answer at once; the connection's next frames are handled meanwhile, and one
 *                                  more SEND is refused with a notice on {@code /user/queue/errors}
 * @param openDestinations          exact destinations any connected client may SEND to and SUBSCRIBE to (plain
 *                                  pub/sub; empty by default, used by tests and the benchmark)
 * @param userQueues                the {@code /user/queue/{name}} names a client may subscribe to: the ones the app
 *                                  sends to (refusals, kick notices, whispers); any other name is refused
 */
@ConfigurationProperties("gifchat.stomp")
public record StompProperties(
        @DefaultValue List<String> allowedOrigins,
        @DefaultValue("10s") Duration connectTimeout,
        @DefaultValue("10s") Duration heartbeatSend,
        @DefaultValue("10s") Duration heartbeatReceive,
        @DefaultValue("5m") Duration idleTimeout,
        @DefaultValue("5s") Duration shutdownDrain,
        @DefaultValue("64KB") DataSize maxFrameSize,
        @DefaultValue("32") int maxHeaders,
        @DefaultValue("8KB") DataSize maxHeaderLine,
        @DefaultValue("64") int maxSubscriptions,
        @DefaultValue("20") int maxConnectionsPerIdentity,
        @DefaultValue("1024") int outboundFrames,
        @DefaultValue("1MB") DataSize outboundSize,
        @DefaultValue("64") int maxPendingSends,
        @DefaultValue List<String> openDestinations,
        @DefaultValue({"errors", "notice", "whisper"}) Set<String> userQueues) {

    StompLimits limits() {
        return new StompLimits((int) maxFrameSize.toBytes(), maxHeaders, (int) maxHeaderLine.toBytes());
    }
}
