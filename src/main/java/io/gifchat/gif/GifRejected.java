package io.gifchat.gif;

/**
 * An upload that is not an acceptable GIF. The message is short, user-facing and safe to show as-is: it never
 * contains bytes from the file or internals.
 *
 * <p>No stack trace is captured: rejections are expected at the edge of the system (wrong files, truncated
 * uploads, crafted files), so capturing one would only cost time.
 */
public final class GifRejected extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public GifRejected(String message) {
        super(message, null, false, false);
    }
}
