package io.gifchat.gif;

import java.util.Objects;

/**
 * Checks that uploaded bytes are one well-formed GIF within {@link GifLimits}, without decoding any pixels.
 *
 * <p>The validator walks the block structure of GIF87a/GIF89a (header, logical screen descriptor, colour
 * tables, extensions, image descriptors, image data sub-blocks, trailer) and rejects anything else, so that
 * what we store and serve is what browsers see as a GIF and nothing more:
 * <ul>
 *   <li>the logical screen and every frame are 1..{@code maxSide} pixels on each side, and no frame reaches
 *       past the 65535-pixel coordinate space;</li>
 *   <li>at least one and at most {@code maxFrames} frames, and the frames together cover at most
 *       {@code maxTotalPixels} pixels: that is the work and memory a viewer spends decoding, so a tiny file
 *       declaring huge or countless frames (a "GIF bomb") is refused up front;</li>
 *   <li>the file ends exactly at the trailer: nothing may follow it, which blocks polyglots (a GIF that is
 *       also a ZIP, HTML or script file).</li>
 * </ul>
 *
 * <p>Deliberately lenient, like browsers: unknown extension labels are skipped, extensions are accepted in
 * GIF87a files, a frame may lie (partly) outside the logical screen, and the LZW data is not decoded, so a
 * corrupt LZW stream is left to the viewer, which shows what it can. The LZW minimum code size must be 1..8:
 * the spec says 2..8, but some encoders write 1 for two-colour images and decoders (Chrome's Wuffs, for one)
 * accept it; 0 and 9 or more are refused (meaningless, no sane encoder writes them).
 *
 * <p>Performance: one pass, iterative (no recursion), a constant amount of memory; each byte of the
 * input is read at most once (data sub-blocks and colour tables are skipped by their length without being
 * read), so the cost is O(n) in the input size and independent of the declared dimensions. Oversized screens
 * and frames, too many frames and the pixel budget are checked as soon as the numbers have been read.
 */
public final class GifValidator {

    /** What a valid GIF declares: its logical screen size and its number of image frames. */
    public record GifInfo(int width, int height, int frames) {
    }

    static final String NOT_A_GIF = "Not a GIF file.";
    static final String TRUNCATED = "The GIF is truncated.";
    static final String TOO_MANY_PIXELS = "The GIF would decode to too many pixels.";
    static final String NO_FRAMES = "The GIF has no frames.";
    static final String DATA_AFTER_TRAILER = "Unexpected data after the GIF trailer.";
    static final String ZERO_SIZED_SCREEN = "Malformed GIF: the image has no width or height.";
    static final String ZERO_SIZED_FRAME = "Malformed GIF: a frame has no width or height.";
    static final String FRAME_OUT_OF_RANGE = "Malformed GIF: a frame extends past 65535 pixels.";
    static final String BAD_LZW_CODE_SIZE = "Malformed GIF: invalid LZW code size.";
    static final String BAD_GRAPHIC_CONTROL = "Malformed GIF: invalid graphic control extension.";
    static final String UNKNOWN_BLOCK = "Malformed GIF: unknown block type.";

    private static final int EXTENSION_INTRODUCER = 0x21;
    private static final int IMAGE_SEPARATOR = 0x2C;
    private static final int TRAILER = 0x3B;
    private static final int GRAPHIC_CONTROL_LABEL = 0xF9;
    private static final int COLOR_TABLE_FLAG = 0x80;
    private static final int MAX_COORDINATE = 0xFFFF;

    private final byte[] data;
    private int pos;
    private int frames;
    /** Sum of width × height over the frames so far, never more than {@code maxTotalPixels}. */
    private long pixels;

    private GifValidator(byte[] data) {
        this.data = data;
    }

    /** {@link #validate(byte[], GifLimits)} with {@link GifLimits#DEFAULTS}. */
    public static GifInfo validate(byte[] data) {
        return validate(data, GifLimits.DEFAULTS);
    }

    /**
     * Returns what the GIF declares if {@code data} is exactly one structurally valid GIF within
     * {@code limits}.
     *
     * @throws GifRejected with a short user-facing message otherwise; never any other exception for any input
     */
    public static GifInfo validate(byte[] data, GifLimits limits) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(limits, "limits");
        return new GifValidator(data).run(limits);
    }

    private GifInfo run(GifLimits limits) {
        checkHeader();

        // Logical Screen Descriptor: width, height, packed fields, background colour index, aspect ratio.
        int width = u16();
        int height = u16();
        if (width == 0 || height == 0) {
            throw new GifRejected(ZERO_SIZED_SCREEN);
        }
        if (width > limits.maxSide() || height > limits.maxSide()) {
            throw tooLarge("The GIF is larger than ", limits);
        }
        int packed = u8();
        skip(2);
        skipColorTable(packed);

        while (true) {
            int introducer = u8();
            if (introducer == IMAGE_SEPARATOR) {
                if (frames == limits.maxFrames()) {
                    throw new GifRejected("Too many frames (max " + limits.maxFrames() + ").");
                }
                frame(limits);
            } else if (introducer == EXTENSION_INTRODUCER) {
                extension();
            } else if (introducer == TRAILER) {
                break;
            } else {
                throw new GifRejected(UNKNOWN_BLOCK);
            }
        }
        if (pos != data.length) {
            throw new GifRejected(DATA_AFTER_TRAILER);
        }
        if (frames == 0) {
            throw new GifRejected(NO_FRAMES);
        }
        return new GifInfo(width, height, frames);
    }

    /** "GIF87a" or "GIF89a"; anything shorter than a header is not a GIF either. */
    private void checkHeader() {
        if (data.length < 6 || data[0] != 'G' || data[1] != 'I' || data[2] != 'F' || data[3] != '8'
                || (data[4] != '7' && data[4] != '9') || data[5] != 'a') {
            throw new GifRejected(NOT_A_GIF);
        }
        pos = 6;
    }

    /**
     * An image descriptor after its separator, up to and including its data's block terminator. The frame is
     * counted, and refused, as soon as its size has been read.
     */
    private void frame(GifLimits limits) {
        int left = u16();
        int top = u16();
        int width = u16();
        int height = u16();
        if (width == 0 || height == 0) {
            throw new GifRejected(ZERO_SIZED_FRAME);
        }
        if (width > limits.maxSide() || height > limits.maxSide()) {
            throw tooLarge("A GIF frame is larger than ", limits);
        }
        if (left + width > MAX_COORDINATE || top + height > MAX_COORDINATE) {
            throw new GifRejected(FRAME_OUT_OF_RANGE);
        }
        long area = (long) width * height;
        if (area > limits.maxTotalPixels() - pixels) { // not pixels + area, which could overflow
            throw new GifRejected(TOO_MANY_PIXELS);
        }
        pixels += area;
        frames++;
        skipColorTable(u8());
        int lzwMinimumCodeSize = u8();
        if (lzwMinimumCodeSize < 1 || lzwMinimumCodeSize > 8) {
            throw new GifRejected(BAD_LZW_CODE_SIZE);
        }
        skipSubBlocks();
    }

    /** An extension after its introducer: label, then data sub-blocks. Unknown labels are skipped. */
    private void extension() {
        int label = u8();
        if (label == GRAPHIC_CONTROL_LABEL) {
            // fixed block size 4: packed fields, delay time (2), transparent colour index
            if (u8() != 4) {
                throw new GifRejected(BAD_GRAPHIC_CONTROL);
            }
            skip(4);
        }
        skipSubBlocks();
    }

    /** Length-prefixed sub-blocks up to and including the zero-length terminator, without reading them. */
    private void skipSubBlocks() {
        int length;
        while ((length = u8()) != 0) {
            skip(length);
        }
    }

    /** The colour table a packed field announces, if its flag is set: 3 × 2^(n+1) bytes. */
    private void skipColorTable(int packed) {
        if ((packed & COLOR_TABLE_FLAG) != 0) {
            skip(3 << ((packed & 0x07) + 1));
        }
    }

    private int u8() {
        if (pos >= data.length) {
            throw new GifRejected(TRUNCATED);
        }
        return data[pos++] & 0xFF;
    }

    /** Little-endian unsigned 16 bits. */
    private int u16() {
        return u8() | (u8() << 8);
    }

    private void skip(int count) {
        if (count > data.length - pos) { // not pos + count, which could overflow
            throw new GifRejected(TRUNCATED);
        }
        pos += count;
    }

    private static GifRejected tooLarge(String prefix, GifLimits limits) {
        return new GifRejected(prefix + limits.maxSide() + "×" + limits.maxSide() + " pixels.");
    }
}
