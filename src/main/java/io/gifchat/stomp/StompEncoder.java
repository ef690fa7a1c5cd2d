package io.gifchat.stomp;

import java.nio.charset.StandardCharsets;

/**
 * Writes frames: {@code COMMAND LF *(name ":" value LF) LF body NUL}, with LF line ends only (valid in every
 * version) and headers escaped as the version and command require.
 *
 * <p>Stateless and thread-safe. Refuses (IllegalArgumentException) frames it cannot write faithfully: a body
 * on a command without one, a {@code content-length} header that contradicts the body, an empty header name,
 * and header octets the target version cannot carry (see {@link Escaping}).
 */
public final class StompEncoder {

    private static final byte[] CONTENT_LENGTH = "content-length:".getBytes(StandardCharsets.US_ASCII);

    private StompEncoder() {
    }

    public static byte[] encode(StompFrame frame, StompVersion version) {
        StompCommand command = frame.command();
        StompHeaders headers = frame.headers();
        byte[] body = frame.body();
        Escaping escaping = Escaping.of(command, version);

        ByteSink out = new ByteSink(estimate(headers) + 24);
        out.write(command.bytes());
        out.write('\n');
        for (int i = 0, n = headers.size(); i < n; i++) {
            header(out, headers.name(i), headers.value(i), escaping);
        }
        writeContentLength(out, command, headers, body.length);
        out.write('\n');
        return out.finishFrame(body);
    }

    /** One EOL: a heart-beat. A fresh array per call, so nobody can corrupt a shared one. */
    public static byte[] heartbeat() {
        return new byte[] {'\n'};
    }

    static void header(ByteSink out, String name, String value, Escaping escaping) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        out.escaped(name, true, escaping);
        out.write(':');
        out.escaped(value, false, escaping);
        out.write('\n');
    }

    /**
     * Spec: frames with a body "SHOULD include a content-length header"; it is the only way a body may
     * contain NUL. An existing header is kept, but must match, or the peer would mis-frame everything after.
     */
    static void writeContentLength(ByteSink out, StompCommand command, StompHeaders headers, int bodyLength) {
        if (bodyLength > 0 && !command.isBodyAllowed()) {
            throw new IllegalArgumentException(command + " frames must not have a body");
        }
        String declared = headers.get(StompHeaders.CONTENT_LENGTH);
        if (declared != null) {
            if (StompDecoder.parseContentLength(declared) != bodyLength) {
                throw new IllegalArgumentException("content-length " + declared + " but body has " + bodyLength + " bytes");
            }
        } else if (bodyLength > 0) {
            out.write(CONTENT_LENGTH);
            out.decimal(bodyLength);
            out.write('\n');
        }
    }

    private static int estimate(StompHeaders headers) {
        int n = 0;
        for (int i = 0, size = headers.size(); i < size; i++) {
            n += headers.name(i).length() + headers.value(i).length() + 2;
        }
        return n;
    }
}
