package io.gifchat.stomp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable byte array for building frames; one per encode, never shared. */
final class ByteSink {

    private byte[] buf;
    private int len;

    ByteSink(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    int length() {
        return len;
    }

    void write(int b) {
        if (len == buf.length) {
            grow(1);
        }
        buf[len++] = (byte) b;
    }

    void write(byte[] b) {
        write(b, 0, b.length);
    }

    void write(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
    }

    void decimal(int n) {
        // content-length values only, so never negative
        if (n >= 10) {
            decimal(n / 10);
        }
        write('0' + n % 10);
    }

    /**
     * Writes a header name or value escaped as {@code escaping} says. ASCII strings (nearly all headers)
     * are written char by char without the intermediate byte[] of {@link String#getBytes}.
     */
    void escaped(String s, boolean isName, Escaping escaping) {
        int n = s.length();
        ensure(n);
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                ensure(utf8.length - i);
                for (int j = i; j < utf8.length; j++) {
                    // UTF-8 continuation and lead bytes are >= 0x80, so they never collide with escapes
                    escaping.write(this, utf8[j], isName);
                }
                return;
            }
            escaping.write(this, s.charAt(i), isName);
        }
    }

    /** The bytes written so far followed by {@code body} and the NUL terminator, in one exact-size array. */
    byte[] finishFrame(byte[] body) {
        byte[] frame = new byte[len + body.length + 1];
        System.arraycopy(buf, 0, frame, 0, len);
        System.arraycopy(body, 0, frame, len, body.length);
        return frame; // last byte is already 0
    }

    byte[] toByteArray() {
        return len == buf.length ? buf : Arrays.copyOf(buf, len);
    }

    private void ensure(int n) {
        if (buf.length - len < n) {
            grow(n);
        }
    }

    private void grow(int n) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }
}
