package io.gifchat.cluster;

import java.time.Duration;
import java.util.function.Function;

import io.gifchat.domain.Refusal;
import reactor.core.publisher.Mono;

/** One node: an errand for another node names one that is not there (a token from an earlier run, say). */
final class LocalErrands implements Errands {

    @Override
    public Mono<byte[]> send(String nodeId, String kind, byte[] request, Duration timeout) {
        return Mono.error(Refusal.of(Refusal.Reason.GONE, "The server that held this has gone."));
    }

    @Override
    public void take(String kind, Function<byte[], Mono<byte[]>> handler) {
        // nobody else sends errands here
    }
}
