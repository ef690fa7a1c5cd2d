package io.gifchat.messaging;

import reactor.core.publisher.Mono;

/**
 * Handles SENDs to an application destination such as {@code /app/chat/{roomId}}. The RECEIPT, if the client asked
 * for one, is sent when the returned Mono completes. A {@link io.gifchat.domain.Refusal} keeps the connection open:
 * the sender gets an {@link ErrorNotice} on its {@code /user/queue/errors} subscription and no RECEIPT.
 */
public interface AppHandler {

    /** A path pattern under {@code /app}, e.g. {@code /app/chat/{roomId}}. */
    String pattern();

    Mono<Void> handle(AppMessage message);
}
