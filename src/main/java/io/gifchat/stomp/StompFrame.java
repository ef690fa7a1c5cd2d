package io.gifchat.stomp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One STOMP frame. The body is whatever the frame carries, independent of any {@code content-length}
 * header (the decoder keeps that header as received; the encoder writes one when needed).
 *
 * <p>The body array is not copied: treat it as read-only once it is in a frame. Equality compares body
 * contents, not array identity.
 */
public record StompFrame(StompCommand command, StompHeaders headers, byte[] body) {

    static final byte[] NO_BODY = new byte[0];

    public StompFrame {
        Objects.requireNonNull(command, "command");
        headers = headers == null ? StompHeaders.EMPTY : headers;
        body = body == null || body.length == 0 ? NO_BODY : body;
    }

    public static StompFrame of(StompCommand command, StompHeaders headers) {
        return new StompFrame(command, headers, NO_BODY);
    }

    public static StompFrame of(StompCommand command, StompHeaders headers, byte[] body) {
        return new StompFrame(command, headers, body);
    }

    /** CONNECTED for a negotiated session; {@code heartBeat} and {@code server} may be null to leave them out. */
    public static StompFrame connected(StompVersion version, HeartBeat heartBeat, String server) {
        StompHeaders.Builder b = StompHeaders.builder(3).add(StompHeaders.VERSION, version.version());
        if (heartBeat != null) {
            b.add(StompHeaders.HEART_BEAT, heartBeat.toHeaderValue());
        }
        if (server != null) {
            b.add(StompHeaders.SERVER, server);
        }
        return of(StompCommand.CONNECTED, b.build());
    }

    public static StompFrame receipt(String receiptId) {
        return of(StompCommand.RECEIPT, StompHeaders.of(StompHeaders.RECEIPT_ID, receiptId));
    }

    /**
     * ERROR with a short description in the {@code message} header; {@code receiptIdOrNull} is the
     * {@code receipt} header of the offending frame, if it had one (spec: the ERROR "SHOULD" carry it).
     */
    public static StompFrame error(String message, String receiptIdOrNull) {
        StompHeaders headers = receiptIdOrNull == null
                ? StompHeaders.of(StompHeaders.MESSAGE, message)
                : StompHeaders.of(StompHeaders.MESSAGE, message, StompHeaders.RECEIPT_ID, receiptIdOrNull);
        return of(StompCommand.ERROR, headers);
    }

    /**
     * The ERROR for a CONNECT that shares no version with us. Spec 1.2: the server "MUST respond with an ERROR frame"
     * whose {@code version} header lists the versions it supports, comma-separated, like {@code accept-version}.
     */
    public static StompFrame unsupportedVersion(String receiptIdOrNull) {
        StompHeaders.Builder b = StompHeaders.builder(4)
                .add(StompHeaders.MESSAGE, "unsupported version")
                .add(StompHeaders.VERSION, StompVersion.supported())
                .add(StompHeaders.CONTENT_TYPE, "text/plain");
        if (receiptIdOrNull != null) {
            b.add(StompHeaders.RECEIPT_ID, receiptIdOrNull);
        }
        return of(StompCommand.ERROR, b.build(),
                ("Supported protocol versions are " + StompVersion.supported().replace(',', ' '))
                        .getBytes(StandardCharsets.US_ASCII));
    }

    /** The first value of header {@code name}, or null. */
    public String header(String name) {
        return headers.get(name);
    }

    /**
     * Checks the command's rules for {@code version}: required headers present, no body where none is
     * allowed. Throws {@link StompProtocolException} with the reason, e.g. "missing header: destination".
     */
    public void validate(StompVersion version) {
        command.check(headers, body.length, version);
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof StompFrame f
                && command == f.command && headers.equals(f.headers) && Arrays.equals(body, f.body);
    }

    @Override
    public int hashCode() {
        return (command.hashCode() * 31 + headers.hashCode()) * 31 + Arrays.hashCode(body);
    }

    /** Body length only: bodies can be large and private. */
    @Override
    public String toString() {
        return command + " " + headers + " body=" + body.length + "B";
    }
}
