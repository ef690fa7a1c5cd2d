package io.gifchat.messaging;

/**
 * A refusal the client is told about in an ERROR frame's short {@code message} header, after which the connection
 * closes (STOMP has no other way to refuse a SUBSCRIBE). Carries no stack trace: it is an answer, not a bug.
 */
public class StompDeniedException extends RuntimeException {

    public StompDeniedException(String message) {
        super(message, null, false, false);
    }
}
