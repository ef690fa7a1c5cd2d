package io.gifchat.store;

import reactor.core.publisher.Mono;

/**
 * Makes what was just written survive a crash before the app acknowledges it (a RECEIPT after a chat message).
 * A real MongoDB acknowledged the write already; the embedded H2 store commits about once a second on its own, so
 * a {@code kill -9} could lose the last second: there it commits now.
 */
public interface StoreDurability {

    Mono<Void> flush();
}
