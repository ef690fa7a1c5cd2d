package io.gifchat.messaging;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/**
 * Server frames as Server-Sent Events: one event per STOMP frame (or heart-beat), so the browser's
 * {@code EventSource} hands the page exactly the bytes a WebSocket message would have carried.
 * <ul>
 * <li>A frame that is UTF-8 text without CR is a plain event: its bytes split at each LF into {@code data: } lines,
 * which {@code EventSource} joins again with LF. The NUL terminator stays in the data (the event-stream grammar allows
 * any character but CR and LF), so the page's STOMP parser reads it as it reads a WebSocket message. A heart-beat,
 * one EOL, is {@code data: } twice: an event whose data is that EOL.</li>
 * <li>A frame whose MESSAGE body is not UTF-8 (a WebSocket would carry it as a binary message), or that contains a CR
 * (which {@code EventSource} would turn into an LF), is an {@code event: base64} whose one data line is the frame's
 * bytes in base64: encoded, never refused, and the page turns it back into the binary message.</li>
 * <li>The first event, {@code event: token}, tells the connection's upstream token; a comment line {@code :} now and
 * then keeps proxies from closing a quiet stream.</li>
 * </ul>
 */
final class EventStream implements Framing {

    static final EventStream FRAMING = new EventStream();

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BASE64 = "event: base64\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final ByteBuf COMMENT = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(":\n\n".getBytes(StandardCharsets.US_ASCII)).asReadOnly());

    private EventStream() {
    }

    @Override
    public ByteBuf frame(Encoded item, ByteBufAllocator allocator) {
        byte[] bytes = item.bytes();
        int lineFeeds = 0;
        boolean plain = item.text();
        for (int i = 0; i < bytes.length && plain; i++) {
            if (bytes[i] == '\n') {
                lineFeeds++;
            } else if (bytes[i] == '\r') {
                plain = false;
            }
        }
        if (!plain) {
            byte[] encoded = Base64.getEncoder().encode(bytes);
            return allocator.buffer(BASE64.length + encoded.length + 2).writeBytes(BASE64).writeBytes(encoded)
                    .writeByte('\n').writeByte('\n');
        }
        // each LF becomes LF "data: "; then the event's LF and the blank line
        ByteBuf event = allocator.buffer(bytes.length + (lineFeeds + 1) * DATA.length + 2);
        event.writeBytes(DATA);
        int from = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                event.writeBytes(bytes, from, i - from).writeByte('\n').writeBytes(DATA);
                from = i + 1;
            }
        }
        return event.writeBytes(bytes, from, bytes.length - from).writeByte('\n').writeByte('\n');
    }

    /** The first event: the token the page's POSTs name the connection by. */
    static ByteBuf open(String token) {
        return Unpooled.wrappedBuffer(("event: token\ndata: " + token + "\n\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** A comment line: ignored by {@code EventSource}, but bytes on the wire for a proxy that times out quiet streams. */
    static ByteBuf comment() {
        return COMMENT.duplicate();
    }
}
