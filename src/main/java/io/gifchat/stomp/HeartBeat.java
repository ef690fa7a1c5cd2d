package io.gifchat.stomp;

/**
 * The value of a {@code heart-beat} header: {@code cx,cy} in milliseconds, 0 meaning "cannot"/"do not want".
 * Whoever sends the header puts first how often it can send heart-beats, second how often it wants to
 * receive them; the server's own header has the same shape (spec calls it sx,sy).
 *
 * <p>Intervals are clamped to {@link #MAX_MILLIS}: the spec puts no bound on the numbers, and a peer's
 * {@code 9223372036854775807} must neither overflow a timer's arithmetic (twice it in nanoseconds is negative,
 * which declared every such connection dead at once, or scheduled its checks never to run) nor be refused.
 */
public record HeartBeat(long cx, long cy) {

    /** Spec: a missing header is the same as {@code heart-beat:0,0}. */
    public static final HeartBeat NONE = new HeartBeat(0, 0);

    /**
     * The longest interval kept, about 24.8 days: it fits every timer API taking an int of milliseconds, and twice
     * it in nanoseconds fits a long with room to spare. Nobody needs heart-beats rarer than that.
     */
    public static final long MAX_MILLIS = Integer.MAX_VALUE;

    /** Intervals above {@link #MAX_MILLIS} are clamped to it. */
    public HeartBeat {
        if (cx < 0 || cy < 0) {
            throw new IllegalArgumentException("heart-beat intervals must not be negative: " + cx + "," + cy);
        }
        cx = Math.min(cx, MAX_MILLIS);
        cy = Math.min(cy, MAX_MILLIS);
    }

    /**
     * Parses "cx,cy". Spaces around either number are tolerated, and a number of any length is clamped to
     * {@link #MAX_MILLIS}; anything else (negative numbers, a missing comma, extra fields) fails with
     * "malformed heart-beat".
     */
    public static HeartBeat parse(String headerOrNull) {
        if (headerOrNull == null) {
            return NONE;
        }
        int comma = headerOrNull.indexOf(',');
        if (comma < 0) {
            throw fail();
        }
        long cx = number(headerOrNull, 0, comma);
        long cy = number(headerOrNull, comma + 1, headerOrNull.length());
        return cx == 0 && cy == 0 ? NONE : new HeartBeat(cx, cy);
    }

    /** The header value to send, "cx,cy". */
    public String toHeaderValue() {
        return cx + "," + cy;
    }

    /**
     * The server's side of the spec's negotiation: "the sender will send heart-beats every MAX(sx,cy)
     * milliseconds" unless sx or cy is 0, and expects the client's every MAX(cx,sy) milliseconds unless
     * cx or sy is 0. How much grace to add before declaring the client dead is the caller's call (the spec
     * only says to "take into account an error margin").
     */
    public static Schedule negotiate(HeartBeat client, HeartBeat server) {
        long send = server.cx == 0 || client.cy == 0 ? 0 : Math.max(server.cx, client.cy);
        long expect = client.cx == 0 || server.cy == 0 ? 0 : Math.max(client.cx, server.cy);
        return new Schedule(send, expect);
    }

    /** What the server does on an established session; 0 disables the respective direction. */
    public record Schedule(long sendEveryMillis, long expectEveryMillis) {

        public boolean sends() {
            return sendEveryMillis > 0;
        }

        public boolean expects() {
            return expectEveryMillis > 0;
        }
    }

    private static long number(String s, int start, int end) {
        while (start < end && s.charAt(start) == ' ') {
            start++;
        }
        while (end > start && s.charAt(end - 1) == ' ') {
            end--;
        }
        if (start == end) {
            throw fail();
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                throw fail();
            }
            // Saturates instead of overflowing: once past the clamp, more digits only keep it there.
            n = Math.min(MAX_MILLIS + 1, n * 10 + (c - '0'));
        }
        return Math.min(n, MAX_MILLIS);
    }

    private static StompProtocolException fail() {
        return new StompProtocolException("malformed heart-beat");
    }
}
