package io.gifchat.messaging;

/**
 * The endpoint's own refusals (a limit, an unknown destination, an unsupported ack mode), told in an ERROR frame's
 * short {@code message} header, after which the connection closes. Domain refusals are
 * {@link io.gifchat.domain.Refusal}s. Carries no stack trace: it is an answer, not a bug.
 */
class StompDeniedException extends RuntimeException {

    StompDeniedException(String message) {
        super(message, null, false, false);
    }
}
