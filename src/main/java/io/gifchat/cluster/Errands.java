package io.gifchat.cluster;

import java.time.Duration;
import java.util.function.Function;

import reactor.core.publisher.Mono;

/**
 * Errands between nodes: a request for one named node of the cluster, handled there by what took that kind of
 * errand, and its answer back to the node that asked. For what lives on one node only and must be reached from any
 * other — a fallback connection's event stream, whose POSTs may land on any node behind a balancer without
 * stickiness. On one node there is no other node to ask ({@link LocalErrands}); in a cluster each node has an inbox
 * channel in Redis ({@link RedisErrands}).
 */
public interface Errands {

    /**
     * Runs {@code request} on node {@code nodeId} and completes with its answer.
     *
     * @return errors {@link io.gifchat.domain.Refusal}: the handler's own refusal as it gave it; {@code GONE} when
     *         that node is not there (it ended, or never was); {@code BUSY} when Redis cannot be reached, too many
     *         errands are out, the node's handler failed, or no answer came within {@code timeout}
     */
    Mono<byte[]> send(String nodeId, String kind, byte[] request, Duration timeout);

    /**
     * Handles the errands of {@code kind} that other nodes send this one (one handler per kind, taken before the
     * node starts). The handler's refusals reach the sender as they are; any other failure as {@code BUSY}.
     */
    void take(String kind, Function<byte[], Mono<byte[]>> handler);
}
