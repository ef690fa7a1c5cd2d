package io.gifchat.bench;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The benchmark client's own incremental STOMP frame parser, independent of the server's decoder on purpose.
 * Bytes of every WebSocket data frame (text, binary or continuation), or of every event of the fallback carrier's
 * stream, are appended to one stream per connection, so a STOMP frame may be split over several WebSocket messages
 * and one WebSocket message may carry several STOMP frames. EOLs between frames are heart-beats and skipped. Headers are parsed in place;
 * strings are only made for the rare frames that need them (CONNECTED, RECEIPT, ERROR). Allocation-free for
 * MESSAGE frames once the buffer has grown to the frame size. Not thread-safe: one per connection, fed from
 * its event loop.
 */
final class StompStreamParser {

    enum Command { CONNECTED, MESSAGE, RECEIPT, ERROR, OTHER }

    /** Callbacks; {@code frame} views are valid only during the call. */
    interface Listener {
        void onFrame(Command command, StompStreamParser frame);
    }

    static final int MAX_FRAME = 4 * 1024 * 1024;

    private static final byte[] CMD_MESSAGE = ascii("MESSAGE");
    private static final byte[] CMD_RECEIPT = ascii("RECEIPT");
    private static final byte[] CMD_CONNECTED = ascii("CONNECTED");
    private static final byte[] CMD_ERROR = ascii("ERROR");
    private static final byte[] CONTENT_LENGTH = ascii("content-length:");

    private final Listener listener;
    private byte[] buf = new byte[512];
    private int len;

    // the frame being delivered
    private int frameStart;
    private int headersStart;
    private int headersEnd;
    private int bodyStart;
    private int bodyLength;
    private int frameBytes;
    private String failure;

    StompStreamParser(Listener listener) {
        this.listener = listener;
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** A protocol problem seen in the stream, after which the parser ignores input; null while fine. */
    String failure() {
        return failure;
    }

    void feed(ByteBuf content) {
        int n = content.readableBytes();
        if (room(n)) {
            content.getBytes(content.readerIndex(), buf, len, n);
            parseAppended(n);
        }
    }

    /** The same from an array: the bytes an event of the fallback carrier's stream carries. */
    void feed(byte[] bytes, int from, int n) {
        if (room(n)) {
            System.arraycopy(bytes, from, buf, len, n);
            parseAppended(n);
        }
    }

    /** Whether {@code n} more bytes are wanted and fit (the buffer grown if needed). */
    private boolean room(int n) {
        if (failure != null || n == 0) {
            return false;
        }
        if (len + n > buf.length) {
            if (len + n > MAX_FRAME) {
                failure = "frame larger than " + MAX_FRAME + " bytes";
                return false;
            }
            byte[] bigger = new byte[Math.max(buf.length * 2, len + n)];
            System.arraycopy(buf, 0, bigger, 0, len);
            buf = bigger;
        }
        return true;
    }

    private void parseAppended(int n) {
        len += n;
        int consumed = parse();
        if (consumed > 0) {
            System.arraycopy(buf, consumed, buf, 0, len - consumed);
            len -= consumed;
        }
    }

    /** Parses every complete frame in buf; returns the number of bytes consumed. */
    private int parse() {
        int pos = 0;
        while (failure == null) {
            while (pos < len && (buf[pos] == '\n' || buf[pos] == '\r')) {
                pos++; // heart-beats, and the optional EOLs after a frame's NUL
            }
            if (pos >= len) {
                return pos;
            }
            int start = pos;
            int cmdEnd = indexOf((byte) '\n', start, len);
            if (cmdEnd < 0) {
                return start;
            }
            int cmdLen = cmdEnd - start;
            if (cmdLen > 0 && buf[cmdEnd - 1] == '\r') {
                cmdLen--;
            }
            int line = cmdEnd + 1;
            int contentLength = -1;
            int hdrEnd = -1;
            while (line < len) {
                int eol = indexOf((byte) '\n', line, len);
                if (eol < 0) {
                    break;
                }
                int lineLen = eol - line;
                if (lineLen > 0 && buf[eol - 1] == '\r') {
                    lineLen--;
                }
                if (lineLen == 0) {
                    hdrEnd = line;
                    line = eol + 1;
                    break;
                }
                if (contentLength < 0 && startsWith(line, lineLen, CONTENT_LENGTH)) {
                    contentLength = parseInt(line + CONTENT_LENGTH.length, line + lineLen);
                    if (contentLength < 0) {
                        failure = "bad content-length header";
                        return start;
                    }
                }
                line = eol + 1;
            }
            if (hdrEnd < 0) {
                return start; // headers incomplete
            }
            int body = line;
            int nul;
            if (contentLength >= 0) {
                if (body + contentLength >= len) {
                    return start;
                }
                nul = body + contentLength;
                if (buf[nul] != 0) {
                    failure = "no NUL after content-length bytes";
                    return start;
                }
            } else {
                nul = indexOf((byte) 0, body, len);
                if (nul < 0) {
                    return start;
                }
            }
            frameStart = start;
            headersStart = cmdEnd + 1;
            headersEnd = hdrEnd;
            bodyStart = body;
            bodyLength = nul - body;
            frameBytes = nul + 1 - start;
            listener.onFrame(command(start, cmdLen), this);
            pos = nul + 1;
        }
        return pos;
    }

    private Command command(int start, int n) {
        if (equals(start, n, CMD_MESSAGE)) {
            return Command.MESSAGE;
        }
        if (equals(start, n, CMD_RECEIPT)) {
            return Command.RECEIPT;
        }
        if (equals(start, n, CMD_CONNECTED)) {
            return Command.CONNECTED;
        }
        if (equals(start, n, CMD_ERROR)) {
            return Command.ERROR;
        }
        return Command.OTHER;
    }

    private boolean equals(int at, int n, byte[] word) {
        return n == word.length && startsWith(at, n, word);
    }

    private boolean startsWith(int at, int n, byte[] prefix) {
        if (n < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (buf[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private int parseInt(int from, int to) {
        while (from < to && buf[from] == ' ') {
            from++;
        }
        while (to > from && buf[to - 1] == ' ') {
            to--;
        }
        if (from == to || to - from > 9) {
            return -1;
        }
        int v = 0;
        for (int i = from; i < to; i++) {
            int d = buf[i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    // ---- views of the current frame, for the listener ----

    int bodyLength() {
        return bodyLength;
    }

    /** Size of the whole STOMP frame, command to NUL inclusive. */
    int frameBytes() {
        return frameBytes;
    }

    byte bodyByte(int i) {
        return buf[bodyStart + i];
    }

    /** Decimal digits at body offset [from, from + n); -1 if not all digits or out of the body. */
    long bodyDigits(int from, int n) {
        if (from + n > bodyLength) {
            return -1;
        }
        long v = 0;
        int at = bodyStart + from;
        for (int i = 0; i < n; i++) {
            int d = buf[at + i] - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v;
    }

    String body() {
        return new String(buf, bodyStart, bodyLength, StandardCharsets.UTF_8);
    }

    /** The first value of header {@code name} (no unescaping), or null. */
    String header(String name) {
        byte[] prefix = ascii(name + ":");
        int line = headersStart;
        while (line < headersEnd) {
            int eol = indexOf((byte) '\n', line, headersEnd);
            int lineLen = eol - line;
            if (lineLen > 0 && buf[eol - 1] == '\r') {
                lineLen--;
            }
            if (startsWith(line, lineLen, prefix)) {
                return new String(buf, line + prefix.length, lineLen - prefix.length, StandardCharsets.UTF_8);
            }
            line = eol + 1;
        }
        return null;
    }

    Map<String, String> headers() {
        Map<String, String> map = new LinkedHashMap<>();
        int line = headersStart;
        while (line < headersEnd) {
            int eol = indexOf((byte) '\n', line, headersEnd);
            int lineLen = eol - line;
            if (lineLen > 0 && buf[eol - 1] == '\r') {
                lineLen--;
            }
            String h = new String(buf, line, lineLen, StandardCharsets.UTF_8);
            int colon = h.indexOf(':');
            if (colon > 0) {
                map.putIfAbsent(h.substring(0, colon), h.substring(colon + 1));
            }
            line = eol + 1;
        }
        return map;
    }

    /** The whole frame as text with NUL shown as ^@, for diagnostics. */
    String frameText() {
        return new String(buf, frameStart, frameBytes, StandardCharsets.UTF_8).replace("\0", "^@");
    }
}
