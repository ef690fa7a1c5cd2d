package io.gifchat.stomp;

/**
 * A violation of the STOMP protocol by the peer. The message is short and safe to put into the
 * {@code message} header of an ERROR frame as-is: it never contains peer-supplied bytes or internals.
 *
 * <p>No stack trace is captured: these are expected at the edge of the system (garbage from clients,
 * fuzzers, scanners) and the connection is closed anyway, so capturing one would only cost time.
 */
public final class StompProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StompProtocolException(String message) {
        super(message, null, false, false);
    }
}
