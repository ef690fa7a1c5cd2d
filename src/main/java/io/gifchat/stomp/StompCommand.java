package io.gifchat.stomp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * STOMP commands with the protocol rules that depend only on the command, kept as data.
 *
 * <p>Required headers, per version, are written as space-separated names; {@code a|b} means "a or b".
 * Deliberate leniencies:
 * <ul>
 * <li>CONNECT/STOMP require nothing. Spec 1.2 makes {@code accept-version} and {@code host} mandatory,
 * but a missing {@code accept-version} is exactly how a 1.0 client announces itself (so it cannot be
 * required before negotiation), and {@code host} is omitted by many clients (older stomp.js, several
 * Python and Go libraries) while we host a single virtual host and would ignore it anyway.</li>
 * <li>NACK does not exist in 1.0; a 1.0 session sending one is held to the 1.0 ACK rules rather than
 * rejected as an unknown command.</li>
 * </ul>
 */
public enum StompCommand {

    CONNECT(Sender.CLIENT, false, false, "", "", ""),
    /** Same as CONNECT (1.1+); lets servers tell STOMP from HTTP on a shared port. */
    STOMP(Sender.CLIENT, false, false, "", "", ""),
    SEND(Sender.CLIENT, true, true, "destination", "destination", "destination"),
    SUBSCRIBE(Sender.CLIENT, false, true, "destination", "destination id", "destination id"),
    UNSUBSCRIBE(Sender.CLIENT, false, true, "id|destination", "id", "id"),
    ACK(Sender.CLIENT, false, true, "message-id", "message-id subscription", "id"),
    NACK(Sender.CLIENT, false, true, "message-id", "message-id subscription", "id"),
    BEGIN(Sender.CLIENT, false, true, "transaction", "transaction", "transaction"),
    COMMIT(Sender.CLIENT, false, true, "transaction", "transaction", "transaction"),
    ABORT(Sender.CLIENT, false, true, "transaction", "transaction", "transaction"),
    DISCONNECT(Sender.CLIENT, false, true, "", "", ""),
    CONNECTED(Sender.SERVER, false, false, "", "version", "version"),
    MESSAGE(Sender.SERVER, true, true, "destination message-id", "destination message-id subscription",
            "destination message-id subscription"),
    RECEIPT(Sender.SERVER, false, true, "receipt-id", "receipt-id", "receipt-id"),
    ERROR(Sender.SERVER, true, true, "", "", "");

    private enum Sender { CLIENT, SERVER }

    /** Longest command name ("UNSUBSCRIBE"); a longer command line cannot be a command. */
    static final int MAX_LENGTH = 11;

    private static final StompCommand[] VALUES = values();

    private final Sender sender;
    private final boolean bodyAllowed;
    private final boolean escapesHeaders;
    /** [version ordinal][requirement][alternative]. */
    private final String[][][] required;
    private final List<List<List<String>>> requiredView;
    private final byte[] bytes;
    private final String bodyNotAllowed;

    StompCommand(Sender sender, boolean bodyAllowed, boolean escapesHeaders, String v10, String v11, String v12) {
        this.sender = sender;
        this.bodyAllowed = bodyAllowed;
        this.escapesHeaders = escapesHeaders;
        this.required = new String[][][] {parse(v10), parse(v11), parse(v12)};
        List<List<List<String>>> view = new ArrayList<>(3);
        for (String[][] perVersion : required) {
            List<List<String>> reqs = new ArrayList<>(perVersion.length);
            for (String[] alternatives : perVersion) {
                reqs.add(List.of(alternatives));
            }
            view.add(List.copyOf(reqs));
        }
        this.requiredView = List.copyOf(view);
        this.bytes = name().getBytes(StandardCharsets.US_ASCII);
        this.bodyNotAllowed = "body not allowed for " + name();
    }

    public boolean isClientCommand() {
        return sender == Sender.CLIENT;
    }

    public boolean isServerCommand() {
        return sender == Sender.SERVER;
    }

    /** CONNECT or its 1.1+ alias STOMP: the frame that opens a session. */
    public boolean isConnect() {
        return this == CONNECT || this == STOMP;
    }

    /** Spec: "Only the SEND, MESSAGE, and ERROR frames MAY have a body. All other frames MUST NOT have a body." */
    public boolean isBodyAllowed() {
        return bodyAllowed;
    }

    /**
     * Whether header escaping (1.1+) applies to this command. Spec 1.2: "The CONNECT and CONNECTED frames
     * do not escape the carriage return, line feed or colon octets in order to remain backward compatible
     * with STOMP 1.0 clients." STOMP is CONNECT under another name and is sent before any version is agreed.
     */
    public boolean escapesHeaders() {
        return escapesHeaders;
    }

    /**
     * Headers this command must carry in {@code version}: each inner list names alternatives, one of which
     * must be present (only UNSUBSCRIBE in 1.0 has two: {@code id} or {@code destination}).
     */
    public List<List<String>> requiredHeaders(StompVersion version) {
        return requiredView.get(version.ordinal());
    }

    /** Throws the client-facing reason if a frame of this command breaks the command's rules. */
    void check(StompHeaders headers, int bodyLength, StompVersion version) {
        if (bodyLength > 0 && !bodyAllowed) {
            throw new StompProtocolException(bodyNotAllowed);
        }
        for (String[] alternatives : required[version.ordinal()]) {
            if (!anyPresent(headers, alternatives)) {
                throw new StompProtocolException("missing header: " + String.join(" or ", alternatives));
            }
        }
    }

    /** The exception for a body on a command without one, shared so the decoder can fail before buffering. */
    StompProtocolException bodyNotAllowed() {
        return new StompProtocolException(bodyNotAllowed);
    }

    /** The command name in ASCII; callers must not modify it. */
    byte[] bytes() {
        return bytes;
    }

    /** The command spelled by {@code len} bytes at {@code off}, or null. Case-sensitive, as in the spec. */
    static StompCommand lookup(byte[] a, int off, int len) {
        if (len == 0 || len > MAX_LENGTH) {
            return null;
        }
        for (StompCommand c : VALUES) {
            byte[] b = c.bytes;
            if (b.length == len && b[0] == a[off] && equalRange(a, off, b, len)) {
                return c;
            }
        }
        return null;
    }

    private static boolean equalRange(byte[] a, int off, byte[] b, int len) {
        for (int i = 1; i < len; i++) {
            if (a[off + i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyPresent(StompHeaders headers, String[] names) {
        for (String name : names) {
            if (headers.get(name) != null) {
                return true;
            }
        }
        return false;
    }

    private static String[][] parse(String spec) {
        List<String[]> reqs = new ArrayList<>();
        int start = 0;
        while (start < spec.length()) {
            int space = spec.indexOf(' ', start);
            int end = space < 0 ? spec.length() : space;
            List<String> alternatives = new ArrayList<>(2);
            int altStart = start;
            while (altStart < end) {
                int bar = spec.indexOf('|', altStart);
                int altEnd = bar < 0 || bar > end ? end : bar;
                alternatives.add(spec.substring(altStart, altEnd));
                altStart = altEnd + 1;
            }
            reqs.add(alternatives.toArray(new String[0]));
            start = end + 1;
        }
        return reqs.toArray(new String[0][]);
    }
}
