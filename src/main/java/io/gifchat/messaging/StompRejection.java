package io.gifchat.messaging;

import java.util.Map;

/**
 * A frame refused while the connection stays open (invalid input, a rate limit): no RECEIPT is sent, and the
 * sending connection gets {@code {type: "error", message, destination, receipt?, ...details}} on its
 * {@code /user/queue/errors} subscription. For refusals that end the connection, see {@link StompDeniedException}.
 */
public class StompRejection extends RuntimeException {

    private final Map<String, Object> details;

    public StompRejection(String message) {
        this(message, Map.of());
    }

    /** {@code details} are added to the error message, e.g. the {@code clientId} of the refused chat message. */
    public StompRejection(String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.details = details;
    }

    public Map<String, Object> details() {
        return details;
    }
}
