package io.gifchat.stomp;

/**
 * Bounds the decoder enforces on every inbound frame, so a peer cannot make us buffer without limit.
 *
 * @param maxFrameBytes      command line, header lines and body of one frame together (EOLs included,
 *                           heart-beats and the NUL terminator not); also caps {@code content-length}
 * @param maxHeaders         header entries per frame, repeated names counted each time
 * @param maxHeaderLineBytes one header line in raw (still escaped) bytes, without its EOL
 */
public record StompLimits(int maxFrameBytes, int maxHeaders, int maxHeaderLineBytes) {

    public static final StompLimits DEFAULTS = new StompLimits(64 * 1024, 32, 8 * 1024);

    public StompLimits {
        if (maxFrameBytes <= 0 || maxHeaders <= 0 || maxHeaderLineBytes <= 0) {
            throw new IllegalArgumentException("STOMP limits must be positive: " + maxFrameBytes + ", "
                    + maxHeaders + ", " + maxHeaderLineBytes);
        }
    }
}
