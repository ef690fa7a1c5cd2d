package io.gifchat.messaging;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.gifchat.cluster.Errands;
import io.gifchat.cluster.Node;
import io.gifchat.domain.Refusal;
import io.gifchat.identity.Identity;
import io.gifchat.limits.Budget;
import io.gifchat.limits.Budgets;
import io.gifchat.stomp.StompDecoder;
import io.gifchat.stomp.StompFrame;
import io.gifchat.stomp.StompProtocolException;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The fallback carrier: the same STOMP connection as over {@code /ws}, its server frames on a Server-Sent Events
 * stream ({@code GET /stomp/sse}, see {@link EventStream}) and its client frames in POSTs to
 * {@code /stomp/sse/{token}} ({@link Upstream}). Only the carrier differs: the same {@link Connection}, decoder and
 * limits, {@link Commands}, {@link Outbound} queue and slow-consumer cut, heart-beats, idle timeout and shutdown.
 *
 * <p>The token is the connection's upstream address and its first secret: this node's id, then 128 random bits.
 * A POST must also carry the session cookie of the stream's identity (checked here) and the page's CSRF token
 * (checked by Spring Security). POSTs of one connection are handled one at a time, in order, each answered once its
 * frames are handled: the page sends the next when the last is answered, so frames stay in order and a client
 * cannot pile up work. A frame may be split across POSTs, and one POST may carry several: one decoder per connection.
 *
 * <p>No sticky sessions: in a cluster a POST may land on any node. One that lands on a node other than the
 * stream's (the token names it) is read there, within the same limit, and sent to the stream's node as an errand
 * through Redis ({@link Errands}, a {@link ForwardedPost}); it is handled there exactly as a POST of its own, and
 * its outcome (204, or the same refusal) is the answer to the original request. The POSTs of one connection stay
 * sequential across nodes: each is answered only once its frames were handled on the stream's node.
 *
 * <p>A dropped stream ends the connection, as a closed WebSocket does; there is no resume ({@code Last-Event-ID}):
 * the page reconnects with a new STOMP session and catches up by seq, exactly as after a lost WebSocket.
 */
@Component
class EventStreams implements DisposableBean {

    static final String PATH = "/stomp/sse";

    private static final Logger log = LoggerFactory.getLogger(EventStreams.class);

    /** A stream with nothing written for this long gets a comment line: proxies commonly cut quiet ones at 30-60 s. */
    private static final long KEEP_ALIVE_NANOS = TimeUnit.SECONDS.toNanos(15);
    private static final long SWEEP_MILLIS = 5000;
    /** The longest one POST may take, reading its body and handling its frames (a SUBSCRIBE may wait for Redis). */
    static final Duration POST_TIMEOUT = Duration.ofSeconds(30);
    /** A forwarded POST's wait: the stream's node answers within its own POST timeout, plus the trips through Redis. */
    static final Duration FORWARD_TIMEOUT = POST_TIMEOUT.plusSeconds(5);
    static final String POST_ERRAND = "fallback-post";
    private static final byte[] HANDLED = new byte[0];

    private final SecureRandom random = new SecureRandom();
    private final Map<String, Stream> streams = new ConcurrentHashMap<>();
    private final StompWebSocketHandler frames;
    private final Commands commands;
    private final Heartbeats heartbeats;
    private final StompProperties properties;
    private final StompMetrics metrics;
    private final Budgets budgets;
    private final String node;
    private final Errands errands;
    /** The longest POST body: as for a WebSocket message, twice the frame limit (a frame over it gets its ERROR). */
    private final long maxPostBytes;
    private final Disposable sweep;

    EventStreams(StompWebSocketHandler frames, Commands commands, Heartbeats heartbeats, StompProperties properties,
                 StompMetrics metrics, Budgets budgets, Node node, Errands errands) {
        this.frames = frames;
        this.commands = commands;
        this.heartbeats = heartbeats;
        this.properties = properties;
        this.metrics = metrics;
        this.budgets = budgets;
        this.node = node.id();
        this.errands = errands;
        errands.take(POST_ERRAND, this::forwarded);
        this.maxPostBytes = StompWebSocketHandler.maxMessagePayload(properties);
        this.sweep = Schedulers.parallel().schedulePeriodically(this::keepAlive, SWEEP_MILLIS, SWEEP_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    /**
     * Answers {@code GET /stomp/sse} once the endpoint's checks passed (origin, budget, identity): the event stream of
     * a new connection, until its last frame is written or the peer goes away. The connection closes after the
     * stream ends (no keep-alive): its last bytes then surely reach the page, and nothing else waits behind it.
     */
    Mono<Void> open(HttpServerResponse response, Identity identity) {
        return response.status(HttpResponseStatus.OK)
                .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream;charset=utf-8")
                .header(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .header("X-Accel-Buffering", "no") // nginx would otherwise buffer the stream
                .keepAlive(false)
                .sendHeaders()
                .then()
                .then(Mono.defer(() -> stream(response, identity)));
    }

    private Mono<Void> stream(HttpServerResponse response, Identity identity) {
        Channel[] netty = new Channel[1];
        Outbound[] outbound = new Outbound[1];
        response.withConnection(c -> {
            netty[0] = c.channel();
            outbound[0] = new Outbound(c.channel(), EventStream.FRAMING, properties.outboundFrames(),
                    properties.outboundSize().toBytes());
            c.addHandlerLast("gifchat.stomp.sse-outbound", outbound[0]);
        });
        Channel channel = netty[0];
        Connection connection = new Connection(frames.nextId(), identity, outbound[0],
                new StompDecoder(properties.limits()), metrics::slowConsumer, budgets.allowance(Budget.FRAMES));
        Stream stream = new Stream(newToken(), connection, channel);
        streams.put(stream.token, stream);
        heartbeats.awaitConnect(connection);
        // Written before anything the Outbound writes: both are tasks on the channel's event loop, in this order.
        channel.writeAndFlush(EventStream.open(stream.token));
        Mono<Void> gone = Mono.create(sink -> channel.closeFuture().addListener(f -> sink.success()));
        return Mono.usingWhen(Mono.just(stream), s -> Mono.firstWithSignal(gone, s.connection.outbound().written()),
                this::end, (s, error) -> end(s), this::end);
    }

    private Mono<Void> end(Stream stream) {
        streams.remove(stream.token, stream);
        stream.connection.outbound().finish(null); // nothing more can be written
        return commands.end(stream.connection);
    }

    private String newToken() {
        byte[] secret = new byte[16];
        random.nextBytes(secret);
        return node + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    /** Whether the token names a connection of another node (in a cluster, the stream is held there). */
    boolean heldElsewhere(String token) {
        String holder = nodeOf(token);
        return holder != null && !holder.equals(node);
    }

    /** The node a token names (what comes before its dot), or null for a token that names none. */
    private static String nodeOf(String token) {
        int dot = token.indexOf('.');
        return dot > 0 ? token.substring(0, dot) : null;
    }

    /**
     * A POST for a stream of another node: the body read here (at most the limit: past it, only its length goes, and
     * the stream's node refuses it as its own), sent there, and its outcome there returned.
     *
     * @return errors {@link Refusal}: those of {@link #receive} on the stream's node; {@code NOT_ALLOWED} when that
     *         node is gone; {@code BUSY} when it cannot be reached or does not answer in time
     */
    Mono<Void> forward(String token, String identityId, long contentLength, Flux<DataBuffer> body) {
        if (identityId == null) {
            return Mono.error(notYours());
        }
        Mono<ForwardedPost> post = contentLength > maxPostBytes
                ? Mono.just(new ForwardedPost(token, identityId, contentLength, HANDLED))
                : DataBufferUtils.join(body, (int) maxPostBytes)
                        .map(joined -> {
                            try {
                                byte[] bytes = new byte[joined.readableByteCount()];
                                joined.read(bytes);
                                return new ForwardedPost(token, identityId, bytes.length, bytes);
                            } finally {
                                DataBufferUtils.release(joined);
                            }
                        })
                        .defaultIfEmpty(new ForwardedPost(token, identityId, 0, HANDLED))
                        .onErrorResume(DataBufferLimitException.class,
                                tooLong -> Mono.just(new ForwardedPost(token, identityId, maxPostBytes + 1, HANDLED)));
        return post.flatMap(forwarded -> errands.send(nodeOf(token), POST_ERRAND,
                        forwarded.encode(), FORWARD_TIMEOUT))
                .onErrorMap(e -> e instanceof Refusal refusal && refusal.reason() == Refusal.Reason.GONE, e -> notYours())
                .then();
    }

    /** Another node's POST for a stream of this one, handled as if it had come here, on the stream's event loop. */
    private Mono<byte[]> forwarded(byte[] request) {
        ForwardedPost post = ForwardedPost.decode(request);
        Stream stream = streams.get(post.token());
        Flux<DataBuffer> body = post.body().length == 0 ? Flux.empty()
                : Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(post.body()));
        Mono<Void> handled = receive(post.token(), post.identity(), post.length(), body);
        // Off the Lettuce thread that received it: decoding and handling are the connection's work, where its own
        // POSTs and WebSocket frames are handled.
        return (stream == null ? handled : handled.subscribeOn(Schedulers.fromExecutor(stream.channel.eventLoop())))
                .thenReturn(HANDLED);
    }

    private static Refusal notYours() {
        return Refusal.of(Refusal.Reason.NOT_ALLOWED, "This connection is not yours, or it has ended; reconnect.");
    }

    /**
     * One POST of the connection named by {@code token}: its body's frames, decoded as they arrive and handled in
     * order; completes once they are handled.
     *
     * @param identityId the identity of the request's session, null without one
     * @return errors {@link Refusal}: {@code NOT_ALLOWED} when the token names no connection of this identity
     *         (unknown, ended, someone else's), {@code FULL} when the connection's previous POST is still being
     *         handled, {@code TOO_MANY} when the connection's frame budget is spent, {@code TOO_LARGE} past the limit
     */
    Mono<Void> receive(String token, String identityId, long contentLength, Flux<DataBuffer> body) {
        Stream stream = streams.get(token);
        if (stream == null || identityId == null || !stream.connection.user().equals(identityId)) {
            return Mono.error(notYours());
        }
        if (!stream.posting.compareAndSet(false, true)) {
            return Mono.error(Refusal.of(Refusal.Reason.FULL,
                    "Send the next frames once the last request is answered."));
        }
        Connection connection = stream.connection;
        connection.received();
        if (connection.outbound().isFinished()) {
            stream.posting.set(false);
            return Mono.empty(); // after ERROR or DISCONNECT the rest is ignored until the stream ends
        }
        if (!connection.spendFrame()) {
            // A POST costs one frame of the connection's budget besides its frames: empty ones are not free either.
            stream.posting.set(false);
            commands.fail(connection, null, new StompDeniedException(Budget.FRAMES.message()));
            return Mono.error(Refusal.tooMany(Budget.FRAMES.message(), Duration.ofSeconds(1)));
        }
        if (contentLength > maxPostBytes) {
            stream.posting.set(false);
            commands.fail(connection, null, new StompProtocolException("frame too large"));
            return Mono.error(Refusal.of(Refusal.Reason.TOO_LARGE, "Too much in one request."));
        }
        long[] read = {0};
        return body.map(chunk -> decode(connection, chunk, read))
                .concatMap(decoded -> frames.handleInOrder(connection, decoded))
                .then()
                .timeout(POST_TIMEOUT, Mono.defer(() -> {
                    commands.fail(connection, null, new StompDeniedException("upstream request timeout"));
                    return Mono.error(Refusal.of(Refusal.Reason.BUSY, "The request took too long; reconnect."));
                }))
                .doFinally(signal -> stream.posting.set(false));
    }

    private List<StompFrame> decode(Connection connection, DataBuffer chunk, long[] read) {
        try {
            read[0] += chunk.readableByteCount();
            if (read[0] > maxPostBytes) {
                commands.fail(connection, null, new StompProtocolException("frame too large"));
                throw Refusal.of(Refusal.Reason.TOO_LARGE, "Too much in one request.");
            }
            if (connection.outbound().isFinished()) {
                return List.of();
            }
            List<StompFrame> decoded = List.of();
            try (DataBuffer.ByteBufferIterator buffers = chunk.readableByteBuffers()) {
                while (buffers.hasNext() && !connection.outbound().isFinished()) {
                    ByteBuffer buffer = buffers.next();
                    List<StompFrame> more = frames.decode(connection, buffer);
                    decoded = decoded.isEmpty() ? more : concat(decoded, more);
                }
            }
            return decoded;
        } finally {
            DataBufferUtils.release(chunk);
        }
    }

    private static List<StompFrame> concat(List<StompFrame> a, List<StompFrame> b) {
        if (b.isEmpty()) {
            return a;
        }
        List<StompFrame> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** A comment on every stream quiet for a while; written beside the queue, so it moves no heart-beat clock. */
    private void keepAlive() {
        long now = System.nanoTime();
        for (Stream stream : streams.values()) {
            try {
                Channel channel = stream.channel;
                if (channel.isActive() && channel.isWritable() && !stream.connection.outbound().isFinished()
                        && now - Math.max(stream.connection.lastSentNanos(), stream.lastComment) > KEEP_ALIVE_NANOS) {
                    stream.lastComment = now;
                    channel.writeAndFlush(EventStream.comment(), channel.voidPromise());
                }
            } catch (RuntimeException e) { // one stream's trouble must not end the sweep for the others
                log.error("Keep-alive failed on {}", stream.connection, e);
            }
        }
    }

    /** Open fallback connections (tests). */
    int count() {
        return streams.size();
    }

    @Override
    public void destroy() {
        sweep.dispose();
    }

    private static final class Stream {
        final String token;
        final Connection connection;
        final Channel channel;
        final AtomicBoolean posting = new AtomicBoolean();
        volatile long lastComment = System.nanoTime();

        Stream(String token, Connection connection, Channel channel) {
            this.token = token;
            this.connection = connection;
            this.channel = channel;
        }
    }
}
