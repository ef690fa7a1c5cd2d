package io.gifchat.stomp;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Turns the inbound byte stream of one connection into frames, whatever the chunking: a frame may arrive
 * split at any byte, several may share a chunk. One decoder per connection; not thread-safe (chunks of a
 * connection are decoded in order anyway). Chunks are never retained: header strings and bodies are copied
 * out, so the caller may release its buffers as soon as {@code decode} returns.
 *
 * <p>Grammar (spec 1.2): {@code frame = command EOL *(header EOL) EOL *OCTET NULL *(EOL)}, {@code EOL = [CR] LF}.
 * Choices where the spec leaves room or real clients stray:
 * <ul>
 * <li>CR LF is accepted in every version, not only 1.2.</li>
 * <li>EOLs outside frames are heart-beats (the optional EOLs after a NUL included, they look the same);
 * they are counted, see {@link #heartbeatsSeen()}.</li>
 * <li>The first ':' of a header line separates name from value; later raw colons stay in the value, as
 * Spring's decoder does. Names must not be empty.</li>
 * <li>A NUL inside the command or header section is an error rather than part of a value: it almost always
 * means a client forgot the blank line before the body, and reading on would swallow the next frame.</li>
 * <li>Header bytes are decoded as UTF-8; invalid sequences become U+FFFD instead of failing the connection.</li>
 * <li>{@code content-length} may have blanks around the number (some 1.0 clients write "name: value").</li>
 * </ul>
 *
 * <p>Before the version is negotiated nothing is unescaped, which is also the rule for CONNECT/STOMP in every
 * version. Frames are checked with {@link StompFrame#validate} against the current version before they are
 * delivered. The first {@link StompProtocolException} is final: the decoder refuses further input, the
 * connection is expected to send ERROR and close.
 */
public final class StompDecoder {

    private static final int FRAME_START = 0;
    private static final int CR_BEFORE_FRAME = 1;
    private static final int COMMAND = 2;
    private static final int HEADERS = 3;
    private static final int FIXED_BODY = 4;
    private static final int TERMINATOR = 5;
    private static final int BODY_TO_NUL = 6;
    private static final int FAILED = 7;

    /** Buffers above this size are dropped after each frame so idle connections stay small. */
    private static final int KEEP_BUFFER_BYTES = 1024;
    private static final int SCRATCH_BYTES = 8192;
    /** For direct buffers (Netty's usual): taken and put back, so a re-entrant decode gets its own. */
    private static final ThreadLocal<byte[]> SCRATCH = new ThreadLocal<>();

    /** Decoded names are interned against these, saving a String per header on nearly every frame. */
    private static final String[] KNOWN_NAMES = {
            StompHeaders.DESTINATION, StompHeaders.ID, StompHeaders.ACK, StompHeaders.RECEIPT,
            StompHeaders.CONTENT_TYPE, StompHeaders.CONTENT_LENGTH, StompHeaders.TRANSACTION,
            StompHeaders.MESSAGE_ID, StompHeaders.SUBSCRIPTION, StompHeaders.ACCEPT_VERSION, StompHeaders.HOST,
            StompHeaders.HEART_BEAT, StompHeaders.LOGIN, StompHeaders.PASSCODE, StompHeaders.RECEIPT_ID,
            StompHeaders.VERSION, StompHeaders.SESSION, StompHeaders.SERVER, StompHeaders.MESSAGE};
    private static final byte[][] KNOWN_NAME_BYTES = new byte[KNOWN_NAMES.length][];

    static {
        for (int i = 0; i < KNOWN_NAMES.length; i++) {
            KNOWN_NAME_BYTES[i] = KNOWN_NAMES[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final StompLimits limits;
    private StompVersion version = StompVersion.V1_0;
    private int state = FRAME_START;
    private long heartbeats;

    // the frame being decoded
    private StompCommand command;
    private StompHeaders.Builder headers;
    private int frameBytes;
    private byte[] fixedBody;
    private int fixedBodyLen;

    // reusable buffers
    private byte[] line = StompFrame.NO_BODY; // only for a line split across chunks: most connections never need it
    private int lineLen;
    private byte[] pendingBody;
    private int pendingBodyLen;
    private byte[] unescaped;

    public StompDecoder(StompLimits limits) {
        this.limits = limits;
    }

    /**
     * The version agreed in CONNECT/CONNECTED; governs unescaping and header checks of every later frame.
     * To handle a client that sends frames right behind CONNECT without waiting for CONNECTED, call this
     * from the frame consumer of {@link #decode(ByteBuffer, Consumer)} while handling CONNECT: it applies
     * from the very next frame, even within the same chunk.
     */
    public void setVersion(StompVersion version) {
        this.version = Objects.requireNonNull(version, "version");
    }

    public StompVersion version() {
        return version;
    }

    /** EOLs seen between frames so far; any increase means the peer is alive. */
    public long heartbeatsSeen() {
        return heartbeats;
    }

    /** True while part of a frame is buffered (e.g. to tell a clean close from one mid-frame). */
    public boolean inFrame() {
        return state >= COMMAND && state != FAILED;
    }

    public boolean isFailed() {
        return state == FAILED;
    }

    /**
     * Decodes all of {@code chunk} (its position ends at its limit), handing each complete frame to
     * {@code frames} as soon as it is complete, so frames before a protocol error are still delivered.
     * An exception from {@code frames} ends the decoder just like a protocol error does.
     */
    public void decode(ByteBuffer chunk, Consumer<? super StompFrame> frames) {
        if (state == FAILED) {
            throw new IllegalStateException("decoder failed earlier; the connection must be closed");
        }
        boolean ok = false;
        try {
            if (chunk.hasArray()) {
                int start = chunk.arrayOffset() + chunk.position();
                int end = start + chunk.remaining();
                chunk.position(chunk.limit());
                feed(chunk.array(), start, end, frames);
            } else {
                byte[] scratch = SCRATCH.get();
                if (scratch == null) {
                    scratch = new byte[SCRATCH_BYTES];
                } else {
                    SCRATCH.set(null);
                }
                try {
                    while (chunk.hasRemaining()) {
                        int n = Math.min(chunk.remaining(), scratch.length);
                        chunk.get(scratch, 0, n);
                        feed(scratch, 0, n, frames);
                    }
                } finally {
                    SCRATCH.set(scratch);
                }
            }
            ok = true;
        } finally {
            if (!ok) {
                fail();
            }
        }
    }

    /** As {@link #decode(ByteBuffer, Consumer)}, collecting the frames; frames before an error are lost. */
    public List<StompFrame> decode(ByteBuffer chunk) {
        Collector collector = new Collector();
        decode(chunk, collector);
        return collector.frames();
    }

    private void feed(byte[] a, int i, int end, Consumer<? super StompFrame> frames) {
        while (i < end) {
            switch (state) {
                case FRAME_START -> {
                    byte b = a[i];
                    if (b == '\n') {
                        heartbeats++;
                        i++;
                    } else if (b == '\r') {
                        state = CR_BEFORE_FRAME;
                        i++;
                    } else {
                        state = COMMAND;
                    }
                }
                case CR_BEFORE_FRAME -> {
                    if (a[i] != '\n') {
                        throw new StompProtocolException("unknown command");
                    }
                    heartbeats++;
                    i++;
                    state = FRAME_START;
                }
                case COMMAND -> i = line(a, i, end, StompCommand.MAX_LENGTH, true);
                case HEADERS -> i = line(a, i, end, limits.maxHeaderLineBytes(), false);
                case FIXED_BODY -> i = fixedBody(a, i, end);
                case TERMINATOR -> {
                    if (a[i] != 0) {
                        throw new StompProtocolException("content-length mismatch");
                    }
                    i++;
                    emit(fixedBody, frames);
                }
                case BODY_TO_NUL -> i = bodyToNul(a, i, end, frames);
                default -> throw new IllegalStateException("decoder state " + state);
            }
        }
    }

    /**
     * Consumes (part of) the command line or a header line. Scans no further than a line of {@code maxLen}
     * bytes plus CR LF could reach, so an endless line fails after {@code maxLen + 2} bytes, not at the end
     * of a huge chunk; a partial line is kept in {@link #line}, never longer than {@code maxLen + 1}.
     */
    private int line(byte[] a, int start, int end, int maxLen, boolean isCommand) {
        int room = maxLen + 2 - lineLen;
        int scanEnd = end - start > room ? start + room : end;
        int i = start;
        while (i < scanEnd) {
            byte b = a[i];
            if (b == '\n' || b == 0) {
                break;
            }
            i++;
        }
        int n = i - start;
        if (i == scanEnd) {
            if (lineLen + n > maxLen + 1) {
                throw lineTooLong(isCommand);
            }
            countFrameBytes(n);
            appendLine(a, start, n);
            return scanEnd;
        }
        if (a[i] == 0) {
            throw new StompProtocolException(isCommand ? "unknown command" : "malformed header");
        }
        byte[] src;
        int off;
        int len;
        if (lineLen == 0) {
            src = a;
            off = start;
            len = n;
        } else {
            appendLine(a, start, n);
            src = line;
            off = 0;
            len = lineLen;
            lineLen = 0;
        }
        if (len > 0 && src[off + len - 1] == '\r') {
            len--;
        }
        if (len > maxLen) {
            throw lineTooLong(isCommand);
        }
        countFrameBytes(n + 1);
        if (isCommand) {
            command(src, off, len);
        } else {
            headerLine(src, off, len);
        }
        return i + 1;
    }

    private void command(byte[] src, int off, int len) {
        StompCommand c = StompCommand.lookup(src, off, len);
        if (c == null) {
            throw new StompProtocolException("unknown command");
        }
        command = c;
        headers = StompHeaders.builder(4);
        state = HEADERS;
    }

    private void headerLine(byte[] src, int off, int len) {
        if (len == 0) {
            endOfHeaders();
            return;
        }
        if (headers.size() == limits.maxHeaders()) {
            throw new StompProtocolException("too many headers");
        }
        int colon = -1;
        for (int i = off, end = off + len; i < end; i++) {
            if (src[i] == ':') {
                colon = i;
                break;
            }
        }
        if (colon <= off) {
            throw new StompProtocolException("malformed header");
        }
        boolean unescape = command.escapesHeaders() && version.escapesHeaders();
        String name = text(src, off, colon - off, unescape, true);
        String value = text(src, colon + 1, off + len - colon - 1, unescape, false);
        headers.add(name, value);
    }

    private String text(byte[] src, int off, int len, boolean unescape, boolean isName) {
        if (unescape) {
            for (int i = off, end = off + len; i < end; i++) {
                if (src[i] == '\\') {
                    return unescape(src, off, len);
                }
            }
        }
        if (isName) {
            String known = knownName(src, off, len);
            if (known != null) {
                return known;
            }
        }
        return new String(src, off, len, StandardCharsets.UTF_8);
    }

    /**
     * Spec 1.2: {@code \r \n \c \\} stand for CR, LF, ':' and '\'; "Undefined escape sequences such as \t
     * MUST be treated as a fatal protocol error." {@code \r} is undefined in 1.1. Works on bytes: escapes are
     * ASCII and never occur inside multi-byte UTF-8 sequences.
     */
    private String unescape(byte[] src, int off, int len) {
        if (unescaped == null || unescaped.length < len) {
            unescaped = new byte[Math.max(len, 64)];
        }
        byte[] out = unescaped;
        int j = 0;
        for (int i = off, end = off + len; i < end; i++) {
            byte b = src[i];
            if (b != '\\') {
                out[j++] = b;
                continue;
            }
            if (++i == end) {
                throw new StompProtocolException("invalid escape sequence");
            }
            switch (src[i]) {
                case 'n' -> out[j++] = '\n';
                case 'c' -> out[j++] = ':';
                case '\\' -> out[j++] = '\\';
                case 'r' -> {
                    if (!version.escapesCarriageReturn()) {
                        throw new StompProtocolException("invalid escape sequence");
                    }
                    out[j++] = '\r';
                }
                default -> throw new StompProtocolException("invalid escape sequence");
            }
        }
        return new String(out, 0, j, StandardCharsets.UTF_8);
    }

    private void endOfHeaders() {
        String declared = headers.get(StompHeaders.CONTENT_LENGTH);
        if (declared == null) {
            pendingBodyLen = 0;
            state = BODY_TO_NUL;
            return;
        }
        int n = parseContentLength(declared);
        if (n < 0) {
            throw new StompProtocolException("invalid content-length");
        }
        // fail now rather than after buffering up to the limit (frameBytes already counts the blank line)
        if ((long) frameBytes + n > limits.maxFrameBytes()) {
            throw new StompProtocolException("frame too large");
        }
        if (n > 0 && !command.isBodyAllowed()) {
            throw command.bodyNotAllowed();
        }
        fixedBody = n == 0 ? StompFrame.NO_BODY : new byte[n];
        fixedBodyLen = 0;
        state = n == 0 ? TERMINATOR : FIXED_BODY;
    }

    private int fixedBody(byte[] a, int i, int end) {
        int n = Math.min(end - i, fixedBody.length - fixedBodyLen);
        System.arraycopy(a, i, fixedBody, fixedBodyLen, n);
        fixedBodyLen += n;
        frameBytes += n; // within the limit: checked against content-length up front
        if (fixedBodyLen == fixedBody.length) {
            state = TERMINATOR;
        }
        return i + n;
    }

    /** Without content-length the body ends at the first NUL (spec). Fails as soon as it outgrows the limit. */
    private int bodyToNul(byte[] a, int start, int end, Consumer<? super StompFrame> frames) {
        int allowed = limits.maxFrameBytes() - frameBytes;
        int scanEnd = end - start > allowed ? start + allowed + 1 : end;
        int i = start;
        while (i < scanEnd && a[i] != 0) {
            i++;
        }
        int n = i - start;
        if (n > 0 && !command.isBodyAllowed()) {
            throw command.bodyNotAllowed();
        }
        countFrameBytes(n);
        if (i == scanEnd) {
            appendBody(a, start, n);
            return i;
        }
        byte[] body;
        if (pendingBodyLen == 0) {
            body = n == 0 ? StompFrame.NO_BODY : Arrays.copyOfRange(a, start, i);
        } else {
            appendBody(a, start, n);
            body = Arrays.copyOf(pendingBody, pendingBodyLen);
        }
        emit(body, frames);
        return i + 1;
    }

    private void emit(byte[] body, Consumer<? super StompFrame> frames) {
        StompFrame frame = new StompFrame(command, headers.build(), body);
        command.check(frame.headers(), body.length, version);
        endFrame();
        frames.accept(frame);
    }

    private void endFrame() {
        state = FRAME_START;
        command = null;
        headers = null;
        frameBytes = 0;
        fixedBody = null;
        fixedBodyLen = 0;
        pendingBodyLen = 0;
        if (pendingBody != null && pendingBody.length > KEEP_BUFFER_BYTES) {
            pendingBody = null;
        }
        if (line.length > KEEP_BUFFER_BYTES) {
            line = StompFrame.NO_BODY;
        }
        if (unescaped != null && unescaped.length > KEEP_BUFFER_BYTES) {
            unescaped = null;
        }
    }

    private void fail() {
        state = FAILED;
        command = null;
        headers = null;
        fixedBody = null;
        pendingBody = null;
        unescaped = null;
        line = StompFrame.NO_BODY;
        lineLen = 0;
    }

    private void countFrameBytes(int n) {
        frameBytes += n;
        if (frameBytes > limits.maxFrameBytes()) {
            throw new StompProtocolException("frame too large");
        }
    }

    private StompProtocolException lineTooLong(boolean isCommand) {
        return new StompProtocolException(isCommand ? "unknown command" : "header line too long");
    }

    private void appendLine(byte[] a, int off, int n) {
        if (lineLen + n > line.length) {
            line = Arrays.copyOf(line, Math.max(Math.max(64, line.length * 2), lineLen + n));
        }
        System.arraycopy(a, off, line, lineLen, n);
        lineLen += n;
    }

    private void appendBody(byte[] a, int off, int n) {
        if (n == 0) {
            return;
        }
        if (pendingBody == null) {
            pendingBody = new byte[Math.max(256, n)];
        } else if (pendingBodyLen + n > pendingBody.length) {
            pendingBody = Arrays.copyOf(pendingBody, Math.max(pendingBody.length * 2, pendingBodyLen + n));
        }
        System.arraycopy(a, off, pendingBody, pendingBodyLen, n);
        pendingBodyLen += n;
    }

    private static String knownName(byte[] src, int off, int len) {
        for (int k = 0; k < KNOWN_NAME_BYTES.length; k++) {
            byte[] b = KNOWN_NAME_BYTES[k];
            if (b.length == len && Arrays.equals(b, 0, len, src, off, off + len)) {
                return KNOWN_NAMES[k];
            }
        }
        return null;
    }

    /** A non-negative decimal int, blanks around it tolerated; -1 for anything else. */
    static int parseContentLength(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        if (start == end || end - start > 10) {
            return -1;
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n > Integer.MAX_VALUE ? -1 : (int) n;
    }

    /** Collects frames without allocating a list for the common zero- and one-frame chunks. */
    private static final class Collector implements Consumer<StompFrame> {
        private StompFrame first;
        private List<StompFrame> more;

        @Override
        public void accept(StompFrame frame) {
            if (first == null) {
                first = frame;
            } else {
                if (more == null) {
                    more = new ArrayList<>(4);
                    more.add(first);
                }
                more.add(frame);
            }
        }

        List<StompFrame> frames() {
            return more != null ? more : first != null ? List.of(first) : List.of();
        }
    }
}
