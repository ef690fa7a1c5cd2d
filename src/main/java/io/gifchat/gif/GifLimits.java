package io.gifchat.gif;

/**
 * Bounds {@link GifValidator} enforces before a GIF is stored or shown to anyone.
 *
 * @param maxSide        largest width and height, in pixels, of the logical screen and of every frame
 *                       (at most 65535, the largest a GIF can declare)
 * @param maxFrames      largest number of image frames
 * @param maxTotalPixels largest sum over all frames of width × height: what a viewer must decode, so this is
 *                       what defeats "GIF bombs" (small files declaring huge or very many frames)
 */
public record GifLimits(int maxSide, int maxFrames, long maxTotalPixels) {

    /** 4096 × 4096 per side, 500 frames, 200 million decoded pixels. */
    public static final GifLimits DEFAULTS = new GifLimits(4096, 500, 200_000_000L);

    public GifLimits {
        if (maxSide <= 0 || maxSide > 0xFFFF || maxFrames <= 0 || maxTotalPixels <= 0) {
            throw new IllegalArgumentException("GIF limits must be positive (and maxSide at most 65535): "
                    + maxSide + ", " + maxFrames + ", " + maxTotalPixels);
        }
    }
}
