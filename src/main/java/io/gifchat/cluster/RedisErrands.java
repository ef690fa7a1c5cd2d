package io.gifchat.cluster;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import io.gifchat.domain.Refusal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Errands over Redis: each node listens, from before it takes connections, to its own inbox channel
 * {@code <namespace>:inbox:<node>}; a request is published to the target's inbox with this node's id, and the
 * answer comes back on this node's. Plain pub/sub, no queue: an errand is worth something only while its sender
 * waits, so nothing is kept for a node that is not listening — Redis says how many received the request, and none
 * means that node is gone ({@code GONE} at once, not a timeout).
 * <p>
 * Bounded: at most {@link #MAX_OUT} errands of this node wait for answers (one more is refused {@code BUSY}), each
 * for at most its timeout, after which a late answer is dropped. Handlers run as the requests arrive, on the
 * Lettuce thread that received them, and must not block; what they return is subscribed here (a request from
 * another node has no caller on this one), each answer or refusal published back, its own failure logged.
 */
final class RedisErrands implements Errands, SmartLifecycle {

    /** Errands out at once: far above what the fallback's sequential POSTs per connection make, a bound on a flood. */
    static final int MAX_OUT = 4096;

    private static final Logger log = LoggerFactory.getLogger(RedisErrands.class);

    private final Relay relay;
    private final Node node;
    private final Map<String, Function<byte[], Mono<byte[]>>> handlers = new ConcurrentHashMap<>();
    private final Map<Long, Sinks.One<byte[]>> out = new ConcurrentHashMap<>();
    private final AtomicLong numbers = new AtomicLong();
    private volatile boolean running;

    RedisErrands(Relay relay, Node node) {
        this.relay = relay;
        this.node = node;
    }

    static String inbox(String nodeId) {
        return "inbox:" + nodeId;
    }

    @Override
    public Mono<byte[]> send(String nodeId, String kind, byte[] request, Duration timeout) {
        return Mono.defer(() -> {
            if (out.size() >= MAX_OUT) {
                return Mono.error(Refusal.of(Refusal.Reason.BUSY, "Too many requests wait for other servers."));
            }
            long number = numbers.incrementAndGet();
            Sinks.One<byte[]> answer = Sinks.one();
            out.put(number, answer);
            return Mono.fromCompletionStage(() -> relay.send(inbox(nodeId),
                            Errand.request(number, node.id(), kind, request).encode()))
                    .onErrorMap(e -> !(e instanceof Refusal), e -> Refusal.of(Refusal.Reason.BUSY,
                            "The other servers cannot be reached now."))
                    .flatMap(receivers -> receivers == 0
                            ? Mono.error(Refusal.of(Refusal.Reason.GONE, "The server that held this has gone."))
                            : answer.asMono())
                    .timeout(timeout, Mono.error(() -> Refusal.of(Refusal.Reason.BUSY,
                            "The server that holds this did not answer in time.")))
                    .doFinally(signal -> out.remove(number));
        });
    }

    @Override
    public void take(String kind, Function<byte[], Mono<byte[]>> handler) {
        if (handlers.putIfAbsent(kind, handler) != null) {
            throw new IllegalStateException("errands of kind " + kind + " are taken already");
        }
    }

    /** Before the web server starts, as the bulletin: a POST forwarded here finds this node listening. */
    @Override
    public void start() {
        relay.listen(inbox(node.id()), this::arrived);
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return DEFAULT_PHASE - 4096;
    }

    /** Completes once Redis confirmed this node listens to its inbox (at most the subscribe timeout). */
    Mono<Void> listening() {
        return relay.listeningTo(inbox(node.id()));
    }

    /** Errands of this node waiting for answers (tests). */
    int waiting() {
        return out.size();
    }

    private void arrived(byte[] message) {
        Errand errand;
        try {
            errand = Errand.decode(message);
        } catch (IllegalArgumentException e) {
            log.warn("Ignored a message on this node's inbox: {}", e.getMessage());
            return;
        }
        if (errand.type() == Errand.REQUEST) {
            handle(errand);
            return;
        }
        Sinks.One<byte[]> waiting = out.remove(errand.number());
        if (waiting == null) {
            return; // it timed out meanwhile: its sender has answered its own caller already
        }
        if (errand.type() == Errand.ANSWER) {
            waiting.tryEmitValue(errand.payload());
        } else {
            waiting.tryEmitError(errand.refusal());
        }
    }

    private void handle(Errand request) {
        Function<byte[], Mono<byte[]>> handler = handlers.get(request.kind());
        Mono<byte[]> work = handler == null
                ? Mono.error(Refusal.of(Refusal.Reason.BUSY, "This server does not run errands of kind "
                        + request.kind() + "."))
                : Mono.defer(() -> handler.apply(request.payload()));
        // A request from another node: nobody on this one waits for it, so this subscription is its own. Its
        // outcome goes back to the sender; a failure to send it is logged (the sender times out).
        work.map(answer -> Errand.answer(request.number(), answer))
                .defaultIfEmpty(Errand.answer(request.number(), new byte[0]))
                .onErrorResume(e -> {
                    if (e instanceof Refusal refusal) {
                        return Mono.just(Errand.refused(request.number(), refusal));
                    }
                    log.warn("An errand of kind {} from node {} failed", request.kind(), request.from(), e);
                    return Mono.just(Errand.refused(request.number(), Refusal.of(Refusal.Reason.BUSY,
                            "The server that holds this could not handle the request.")));
                })
                .flatMap(reply -> Mono.fromCompletionStage(() -> relay.send(inbox(request.from()), reply.encode())))
                .subscribe(receivers -> {
                }, e -> log.debug("Could not answer an errand of node {}: {}", request.from(), e.toString()));
    }
}
