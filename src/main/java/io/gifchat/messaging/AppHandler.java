package io.gifchat.messaging;

import reactor.core.publisher.Mono;

/**
 * Handles SENDs to an application destination such as {@code /app/chat/{roomId}}. {@link #handle} checks the
 * message and hands its work over — its Mono completes then, and the connection's next frame waits only for that
 * (the checks may ask Redis, in a cluster) — and tells the {@link Answer} once, when the work is done: the client's
 * RECEIPT (if it asked for one) follows {@link Answer#done()}. So the connection's next frame is handled while
 * this one's work is still under way, and several messages of one client can be stored together, in the order
 * they were sent. A {@link io.gifchat.domain.Refusal}, thrown or given to {@link Answer#failed}, keeps the
 * connection open: the sender gets an {@link ErrorNotice} on its {@code /user/queue/errors} subscription and no
 * RECEIPT. Anything else is a bug: an ERROR, and the connection closes.
 */
public interface AppHandler {

    /** A path pattern under {@code /app}, e.g. {@code /app/chat/{roomId}}. */
    String pattern();

    /** @return completes once the message is checked and handed over; an error is this SEND's answer */
    Mono<Void> handle(AppMessage message, Answer answer);

    /** How an application SEND is answered; only the first call counts. */
    interface Answer {

        void done();

        void failed(Throwable error);
    }
}
