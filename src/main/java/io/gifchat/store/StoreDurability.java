package io.gifchat.store;

import reactor.core.publisher.Mono;

/**
 * Makes what was just written survive a crash before the app acknowledges it (a RECEIPT after a chat message).
 * A real MongoDB acknowledged the write already (journaled by a majority: {@link MongoClientConfiguration}); the
 * embedded file store commits only when asked, so it commits now (a group commit).
 */
public interface StoreDurability {

    /** Makes durable what the caller wrote before asking. */
    Mono<Void> flush();

    /**
     * Makes durable whatever anyone wrote before this call, for a caller that found a write it did not make (a
     * retried chat line already stored) and is about to acknowledge it: that write's own acknowledgement may never
     * have come (its writer gave up waiting), so it may not be durable yet. On the embedded file store a commit
     * covers every write before it, so this is {@link #flush()}.
     */
    default Mono<Void> coverEarlierWrites() {
        return flush();
    }
}
