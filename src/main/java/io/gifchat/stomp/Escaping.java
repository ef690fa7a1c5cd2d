package io.gifchat.stomp;

/**
 * How header octets are written on the wire.
 *
 * <p>Spec 1.2 escapes CR, LF, colon and backslash as {@code \r \n \c \\}; 1.1 the same without CR (a raw CR
 * is legal in a 1.1 value); 1.0 and the CONNECT/CONNECTED frames of every version escape nothing. Where there
 * is no escaping, octets that would break the framing (LF, CR, and ':' in names) cannot be represented and
 * are refused rather than written raw: writing them would let a header value inject headers or frames.
 * NUL is refused everywhere because our decoder treats a NUL inside the header section as malformed.
 */
enum Escaping {
    NONE, V11, V12;

    static Escaping of(StompCommand command, StompVersion version) {
        if (!command.escapesHeaders() || !version.escapesHeaders()) {
            return NONE;
        }
        return version.escapesCarriageReturn() ? V12 : V11;
    }

    void write(ByteSink out, int c, boolean isName) {
        switch (c) {
            case '\\' -> {
                if (this == NONE) {
                    out.write('\\');
                } else {
                    out.write('\\');
                    out.write('\\');
                }
            }
            case ':' -> {
                if (this != NONE) {
                    out.write('\\');
                    out.write('c');
                } else if (isName) {
                    throw unrepresentable("':' in a header name");
                } else {
                    out.write(':');
                }
            }
            case '\n' -> {
                if (this == NONE) {
                    throw unrepresentable("a line feed");
                }
                out.write('\\');
                out.write('n');
            }
            case '\r' -> {
                if (this == NONE) {
                    throw unrepresentable("a carriage return");
                }
                if (this == V12) {
                    out.write('\\');
                    out.write('r');
                } else {
                    out.write('\r');
                }
            }
            case 0 -> throw unrepresentable("NUL");
            default -> out.write(c);
        }
    }

    /** Whether {@link #write} accepts every character of {@code s}, i.e. this mode can carry it at all. */
    boolean canWrite(String s, boolean isName) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == 0 || this == NONE && (c == '\n' || c == '\r' || isName && c == ':')) {
                return false;
            }
        }
        return true;
    }

    /** True if no character of {@code s} is escaped or refused by any mode, so every mode writes it alike. */
    static boolean isPlain(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == ':' || c == '\n' || c == '\r' || c == 0) {
                return false;
            }
        }
        return true;
    }

    private IllegalArgumentException unrepresentable(String what) {
        return new IllegalArgumentException("header contains " + what
                + (this == NONE ? ", which cannot be written without escaping (STOMP 1.0 or CONNECT/CONNECTED)" : ""));
    }
}
