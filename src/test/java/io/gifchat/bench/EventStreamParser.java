package io.gifchat.bench;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The benchmark client's incremental reader of a {@code text/event-stream} body (the fallback carrier's stream), as
 * {@code EventSource} reads it: lines end at LF, CR or CRLF; {@code data:} lines of one event are joined with LF;
 * a blank line dispatches the event; comment lines ({@code :}) and events without data are dropped; one space after
 * the colon is not part of the value. The event's type is kept only when an {@code event:} line names one (the
 * carrier's {@code token} and {@code base64} events); plain events, the MESSAGE frames, are {@code null}, so reading
 * them allocates nothing once the buffers have grown. Independent of the server's {@code EventStream} on purpose.
 * Not thread-safe: one per stream, fed from its event loop.
 */
final class EventStreamParser {

    /** Callbacks; {@code data} is valid only during the call. */
    interface Listener {
        /** {@code type}: the event's {@code event:} value, or null for a plain ({@code message}) event. */
        void onEvent(String type, byte[] data, int length);
    }

    static final int MAX_EVENT = 8 * 1024 * 1024;

    private static final byte[] DATA = StompStreamParser.ascii("data");
    private static final byte[] EVENT = StompStreamParser.ascii("event");

    private final Listener listener;
    private byte[] line = new byte[256];
    private int lineLength;
    private byte[] data = new byte[512];
    private int dataLength;
    private boolean hasData;
    private String type;
    /** The last byte was a CR: an LF right after it ends no second line. */
    private boolean afterCr;
    private String failure;

    EventStreamParser(Listener listener) {
        this.listener = listener;
    }

    /** A problem seen in the stream, after which the parser ignores input; null while fine. */
    String failure() {
        return failure;
    }

    void feed(ByteBuf content) {
        for (int i = content.readerIndex(), end = content.writerIndex(); i < end && failure == null; i++) {
            accept(content.getByte(i));
        }
    }

    void feed(byte[] bytes, int from, int n) {
        for (int i = from; i < from + n && failure == null; i++) {
            accept(bytes[i]);
        }
    }

    private void accept(byte b) {
        if (b == '\n' && afterCr) {
            afterCr = false;
            return;
        }
        afterCr = b == '\r';
        if (b == '\n' || b == '\r') {
            endLine();
            return;
        }
        if (lineLength == line.length) {
            if (lineLength >= MAX_EVENT) {
                failure = "line longer than " + MAX_EVENT + " bytes";
                return;
            }
            line = Arrays.copyOf(line, line.length * 2);
        }
        line[lineLength++] = b;
    }

    private void endLine() {
        int n = lineLength;
        lineLength = 0;
        if (n == 0) {
            if (hasData) {
                listener.onEvent(type, data, dataLength);
            }
            hasData = false;
            dataLength = 0;
            type = null;
            return;
        }
        if (line[0] == ':') {
            return; // a comment
        }
        int colon = 0;
        while (colon < n && line[colon] != ':') {
            colon++;
        }
        int value = colon < n ? colon + 1 : n;
        if (value < n && line[value] == ' ') {
            value++;
        }
        if (field(colon, DATA)) {
            int add = (hasData ? 1 : 0) + n - value;
            if (dataLength + add > MAX_EVENT) {
                failure = "event larger than " + MAX_EVENT + " bytes";
                return;
            }
            if (dataLength + add > data.length) {
                data = Arrays.copyOf(data, Math.max(data.length * 2, dataLength + add));
            }
            if (hasData) {
                data[dataLength++] = '\n';
            }
            System.arraycopy(line, value, data, dataLength, n - value);
            dataLength += n - value;
            hasData = true;
        } else if (field(colon, EVENT)) {
            type = new String(line, value, n - value, StandardCharsets.UTF_8);
        } // id, retry and unknown fields: nothing the benchmark needs
    }

    private boolean field(int length, byte[] name) {
        if (length != name.length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (line[i] != name[i]) {
                return false;
            }
        }
        return true;
    }
}
