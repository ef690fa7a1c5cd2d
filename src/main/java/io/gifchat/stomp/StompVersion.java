package io.gifchat.stomp;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The STOMP protocol versions we speak, with the WebSocket subprotocol names registered for them
 * (<a href="https://www.iana.org/assignments/websocket/websocket.xml">IANA</a>: v10.stomp, v11.stomp, v12.stomp).
 */
public enum StompVersion {

    V1_0("1.0", "v10.stomp"),
    V1_1("1.1", "v11.stomp"),
    V1_2("1.2", "v12.stomp");

    private static final StompVersion[] HIGHEST_FIRST = {V1_2, V1_1, V1_0};
    private static final List<String> SUBPROTOCOLS = List.of(V1_2.subprotocol, V1_1.subprotocol, V1_0.subprotocol);
    private static final String SUPPORTED = V1_0.version + "," + V1_1.version + "," + V1_2.version;

    private final String version;
    private final String subprotocol;

    StompVersion(String version, String subprotocol) {
        this.version = version;
        this.subprotocol = subprotocol;
    }

    /** The value of the {@code version} / {@code accept-version} headers, e.g. "1.2". */
    public String version() {
        return version;
    }

    public String subprotocol() {
        return subprotocol;
    }

    /** 1.0 has no escaping at all; 1.1 introduced {@code \n \c \\} in header names and values. */
    public boolean escapesHeaders() {
        return this != V1_0;
    }

    /** Only 1.2 defines {@code \r}; in 1.1 it is an undefined (hence fatal) escape sequence. */
    public boolean escapesCarriageReturn() {
        return this == V1_2;
    }

    /**
     * Whether the spec of this version allows CR LF as end of line. Informational only: the decoder
     * accepts CR LF in every version, because clients that send it mean nothing else by it.
     */
    public boolean allowsCrLf() {
        return this == V1_2;
    }

    /** Every version we speak, lowest first, as a {@code version}/{@code accept-version} value: "1.0,1.1,1.2". */
    public static String supported() {
        return SUPPORTED;
    }

    /** Subprotocol names to offer in the WebSocket handshake, most preferred first. */
    public static List<String> subprotocols() {
        return SUBPROTOCOLS;
    }

    public static Optional<StompVersion> fromSubprotocol(String subprotocol) {
        for (StompVersion v : HIGHEST_FIRST) {
            if (v.subprotocol.equals(subprotocol)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** Looks up "1.0", "1.1" or "1.2". */
    public static Optional<StompVersion> fromVersion(String version) {
        for (StompVersion v : HIGHEST_FIRST) {
            if (v.version.equals(version)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /**
     * Picks the version for a CONNECT/STOMP frame from its {@code accept-version} header.
     * Spec 1.2: "If the accept-version header is missing, it means that the client only supports
     * version 1.0 of the protocol." Otherwise the highest version both sides support wins; when
     * there is none the server must answer with an ERROR frame (empty result). Tokens we do not
     * know ("2.0", garbage) are ignored and blanks around the commas tolerated.
     */
    public static Optional<StompVersion> negotiate(String acceptVersionHeaderOrNull) {
        return negotiate(acceptVersionHeaderOrNull, Set.of(values()));
    }

    /** As {@link #negotiate(String)}, restricted to the versions the server is willing to speak. */
    public static Optional<StompVersion> negotiate(String acceptVersionHeaderOrNull, Set<StompVersion> supported) {
        if (acceptVersionHeaderOrNull == null) {
            return supported.contains(V1_0) ? Optional.of(V1_0) : Optional.empty();
        }
        StompVersion best = null;
        String header = acceptVersionHeaderOrNull;
        int start = 0;
        while (start <= header.length()) {
            int comma = header.indexOf(',', start);
            int end = comma < 0 ? header.length() : comma;
            StompVersion v = token(header, start, end);
            if (v != null && supported.contains(v) && (best == null || v.compareTo(best) > 0)) {
                best = v;
            }
            start = end + 1;
        }
        return Optional.ofNullable(best);
    }

    private static StompVersion token(String header, int start, int end) {
        while (start < end && header.charAt(start) == ' ') {
            start++;
        }
        while (end > start && header.charAt(end - 1) == ' ') {
            end--;
        }
        for (StompVersion v : HIGHEST_FIRST) {
            if (v.version.length() == end - start && header.startsWith(v.version, start)) {
                return v;
            }
        }
        return null;
    }
}
