package io.gifchat.gif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Named.named;

import io.gifchat.gif.GifValidator.GifInfo;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GifValidatorTest {

    private static final GifLimits DEFAULTS = GifLimits.DEFAULTS;

    /** Every message {@link GifValidator} may give with the default limits. */
    private static final List<String> MESSAGES = List.of(
            "Not a GIF file.",
            "The GIF is truncated.",
            "The GIF is larger than 4096×4096 pixels.",
            "A GIF frame is larger than 4096×4096 pixels.",
            "Too many frames (max 500).",
            "The GIF would decode to too many pixels.",
            "The GIF has no frames.",
            "Unexpected data after the GIF trailer.",
            "Malformed GIF: the image has no width or height.",
            "Malformed GIF: a frame has no width or height.",
            "Malformed GIF: a frame extends past 65535 pixels.",
            "Malformed GIF: invalid LZW code size.",
            "Malformed GIF: invalid graphic control extension.",
            "Malformed GIF: unknown block type.");

    // ---------------------------------------------------------------------------------------------------------
    // accepted

    static Stream<Arguments> validGifs() {
        return Stream.of(
                valid("smallest GIF89a: 1×1, global table, one frame", tiny(), 1, 1, 1),
                valid("GIF87a", Gif.header("GIF87a").screen(1, 1, 0x80).colors(2).frame(1, 1).trailer(), 1, 1, 1),
                valid("no colour table at all", Gif.gif89a(3, 2, 0).frame(3, 2).trailer(), 3, 2, 1),
                valid("extensions: NETSCAPE2.0 loop, comment, graphic control, plain text, unknown label",
                        Gif.gif89a(10, 10, 0x80).colors(2).netscapeLoop().comment("made by a test")
                                .graphicControl().frame(10, 10)
                                .bytes(0x21, 0x01, 12, 0, 0, 0, 0, 10, 0, 10, 0, 8, 8, 0, 1, 2, 'h', 'i', 0)
                                .bytes(0x21, 0x42, 3, 1, 2, 3, 0)
                                .trailer(),
                        10, 10, 1),
                valid("extensions in a GIF87a file", Gif.header("GIF87a").screen(2, 2, 0).comment("x").frame(2, 2)
                        .trailer(), 2, 2, 1),
                valid("extension with no sub-blocks", Gif.gif89a(1, 1, 0).bytes(0x21, 0xFE, 0).frame(1, 1)
                        .trailer(), 1, 1, 1),
                valid("graphic control with extra sub-blocks before its terminator",
                        Gif.gif89a(1, 1, 0).bytes(0x21, 0xF9, 4, 0, 0, 0, 0, 2, 9, 9, 0).frame(1, 1).trailer(),
                        1, 1, 1),
                valid("local colour table of 256 entries, interlaced",
                        Gif.gif89a(4, 4, 0).image(0, 0, 4, 4, 0xC7).colors(256).lzw(8).trailer(), 4, 4, 1),
                valid("largest global colour table", Gif.gif89a(1, 1, 0xF7).colors(256).frame(1, 1).trailer(),
                        1, 1, 1),
                valid("many frames with graphic controls", animation(20, 8, 8), 8, 8, 20),
                valid("frame partly outside the logical screen (browsers clip)",
                        Gif.gif89a(10, 10, 0).image(5, 5, 20, 20, 0).lzw(2).trailer(), 10, 10, 1),
                valid("frame reaching exactly coordinate 65535",
                        Gif.gif89a(10, 10, 0).image(65535 - 4096, 65535 - 4096, 4096, 4096, 0).lzw(2)
                                .trailer(), 10, 10, 1),
                valid("4096×4096 screen and frame", Gif.gif89a(4096, 4096, 0).frame(4096, 4096).trailer(),
                        4096, 4096, 1),
                valid("exactly 500 frames", frames(500, 1, 1), 1, 1, 500),
                valid("11 frames of 4096×4096 = 184.5 M pixels", frames(11, 4096, 4096), 4096, 4096, 11),
                valid("LZW minimum code size 1 (monochrome encoders)",
                        Gif.gif89a(1, 1, 0).image(0, 0, 1, 1, 0).lzw(1).trailer(), 1, 1, 1),
                valid("LZW minimum code size 8", Gif.gif89a(1, 1, 0).image(0, 0, 1, 1, 0).lzw(8).trailer(),
                        1, 1, 1),
                valid("image data in many 255-byte sub-blocks",
                        Gif.gif89a(100, 100, 0).image(0, 0, 100, 100, 0).bytes(8).subBlocks(10_000, 255)
                                .trailer(), 100, 100, 1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validGifs")
    void acceptsValidGif(byte[] gif, GifInfo expected) {
        assertThat(GifValidator.validate(gif, DEFAULTS)).isEqualTo(expected);
    }

    /** Keeps the builder honest: what it writes, the JDK's decoder reads. */
    @Test
    void builderWritesGifsImageIoDecodes() throws IOException {
        assertThat(imageIoFrameCount(tiny())).isEqualTo(1);
        assertThat(imageIoFrameCount(animation(3, 1, 1))).isEqualTo(3);
        assertThat(imageIoFrameCount(Gif.gif89a(1, 1, 0).image(0, 0, 1, 1, 0x80).colors(2).lzw(2).trailer()))
                .isEqualTo(1);
    }

    @Test
    void defaultLimits() {
        assertThat(GifLimits.DEFAULTS).isEqualTo(new GifLimits(4096, 500, 200_000_000L));
        assertThat(GifValidator.validate(tiny())).isEqualTo(new GifInfo(1, 1, 1));
    }

    // ---------------------------------------------------------------------------------------------------------
    // rejected

    static Stream<Arguments> invalidGifs() {
        return Stream.of(
                invalid("empty file", new byte[0], "Not a GIF file."),
                invalid("PNG signature", bytes(0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H',
                        'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0), "Not a GIF file."),
                invalid("JPEG signature", bytes(0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0),
                        "Not a GIF file."),
                invalid("GIF88a", Gif.header("GIF88a").screen(1, 1, 0).frame(1, 1).trailer(), "Not a GIF file."),
                invalid("lower-case gif89a", Gif.header("gif89a").screen(1, 1, 0).frame(1, 1).trailer(),
                        "Not a GIF file."),
                invalid("GIF8 only", ascii("GIF8"), "Not a GIF file."),
                invalid("header only", ascii("GIF89a"), "The GIF is truncated."),
                invalid("screen descriptor cut short", Gif.header("GIF89a").bytes(1, 0, 1, 0, 0).build(),
                        "The GIF is truncated."),
                invalid("logical screen 40000×40000", Gif.gif89a(40000, 40000, 0).frame(1, 1).trailer(),
                        "The GIF is larger than 4096×4096 pixels."),
                invalid("logical screen 4097 wide", Gif.gif89a(4097, 1, 0).frame(1, 1).trailer(),
                        "The GIF is larger than 4096×4096 pixels."),
                invalid("logical screen 65535 high", Gif.gif89a(1, 65535, 0).frame(1, 1).trailer(),
                        "The GIF is larger than 4096×4096 pixels."),
                invalid("logical screen of zero width", Gif.gif89a(0, 10, 0).frame(1, 1).trailer(),
                        "Malformed GIF: the image has no width or height."),
                invalid("logical screen of zero height", Gif.gif89a(10, 0, 0).frame(1, 1).trailer(),
                        "Malformed GIF: the image has no width or height."),
                invalid("frame of 5000×10", Gif.gif89a(10, 10, 0).frame(5000, 10).trailer(),
                        "A GIF frame is larger than 4096×4096 pixels."),
                invalid("frame of 10×4097", Gif.gif89a(10, 10, 0).frame(10, 4097).trailer(),
                        "A GIF frame is larger than 4096×4096 pixels."),
                invalid("frame of zero width", Gif.gif89a(10, 10, 0).frame(0, 10).trailer(),
                        "Malformed GIF: a frame has no width or height."),
                invalid("frame of zero height", Gif.gif89a(10, 10, 0).frame(10, 0).trailer(),
                        "Malformed GIF: a frame has no width or height."),
                invalid("frame past x 65535", Gif.gif89a(10, 10, 0).image(65000, 0, 1000, 1, 0).lzw(2)
                        .trailer(), "Malformed GIF: a frame extends past 65535 pixels."),
                invalid("frame past y 65535", Gif.gif89a(10, 10, 0).image(0, 65535, 1, 1, 0).lzw(2)
                        .trailer(), "Malformed GIF: a frame extends past 65535 pixels."),
                invalid("501 tiny frames", frames(501, 1, 1), "Too many frames (max 500)."),
                invalid("pixel bomb: 100 frames of 4096×4096", frames(100, 4096, 4096),
                        "The GIF would decode to too many pixels."),
                invalid("12 frames of 4096×4096 = 201.3 M pixels", frames(12, 4096, 4096),
                        "The GIF would decode to too many pixels."),
                invalid("LZW minimum code size 0", Gif.gif89a(1, 1, 0).image(0, 0, 1, 1, 0).lzw(0).trailer(),
                        "Malformed GIF: invalid LZW code size."),
                invalid("LZW minimum code size 9", Gif.gif89a(1, 1, 0).image(0, 0, 1, 1, 0).lzw(9).trailer(),
                        "Malformed GIF: invalid LZW code size."),
                invalid("LZW minimum code size 12", Gif.gif89a(1, 1, 0).image(0, 0, 1, 1, 0).lzw(12)
                        .trailer(), "Malformed GIF: invalid LZW code size."),
                invalid("unknown block 0x99", Gif.gif89a(1, 1, 0).frame(1, 1).bytes(0x99, 1, 0).trailer(),
                        "Malformed GIF: unknown block type."),
                invalid("zero byte where a block should start", Gif.gif89a(1, 1, 0).bytes(0).frame(1, 1)
                        .trailer(), "Malformed GIF: unknown block type."),
                invalid("graphic control extension of block size 5",
                        Gif.gif89a(1, 1, 0).bytes(0x21, 0xF9, 5, 0, 0, 0, 0, 0, 0).frame(1, 1).trailer(),
                        "Malformed GIF: invalid graphic control extension."),
                invalid("graphic control extension of block size 0",
                        Gif.gif89a(1, 1, 0).bytes(0x21, 0xF9, 0).frame(1, 1).trailer(),
                        "Malformed GIF: invalid graphic control extension."),
                invalid("one byte after the trailer", Gif.gif89a(1, 1, 0).frame(1, 1).bytes(0x3B).bytes(0).build(),
                        "Unexpected data after the GIF trailer."),
                invalid("polyglot: ZIP after the trailer",
                        Gif.gif89a(1, 1, 0).frame(1, 1).bytes(0x3B).bytes('P', 'K', 3, 4, 20, 0, 0, 0).build(),
                        "Unexpected data after the GIF trailer."),
                invalid("polyglot: script after the trailer",
                        Gif.gif89a(1, 1, 0).frame(1, 1).bytes(0x3B).ascii("<script>alert(1)</script>").build(),
                        "Unexpected data after the GIF trailer."),
                invalid("second GIF after the trailer", concat(tiny(), tiny()),
                        "Unexpected data after the GIF trailer."),
                invalid("global colour table flag set, table truncated",
                        Gif.gif89a(1, 1, 0x87).colors(255).build(), "The GIF is truncated."),
                invalid("global colour table flag set, no table", Gif.gif89a(1, 1, 0x80).build(),
                        "The GIF is truncated."),
                invalid("local colour table truncated", Gif.gif89a(1, 1, 0).image(0, 0, 1, 1, 0x81).build(),
                        "The GIF is truncated."),
                invalid("no frames: header, screen, trailer", Gif.gif89a(1, 1, 0).trailer(),
                        "The GIF has no frames."),
                invalid("no frames, only extensions", Gif.gif89a(1, 1, 0x80).colors(2).netscapeLoop()
                        .comment("hi").graphicControl().trailer(), "The GIF has no frames."),
                invalid("no trailer", Gif.gif89a(1, 1, 0).frame(1, 1).build(), "The GIF is truncated."),
                invalid("image data without terminator", Gif.gif89a(1, 1, 0).image(0, 0, 1, 1, 0)
                        .bytes(2, 2, 0x44, 0x01).build(), "The GIF is truncated."),
                invalid("sub-block longer than the rest of the file", Gif.gif89a(1, 1, 0).image(0, 0, 1, 1, 0)
                        .bytes(2, 255, 0x44, 0x01, 0, 0x3B).build(), "The GIF is truncated."),
                invalid("extension without label", Gif.gif89a(1, 1, 0).frame(1, 1).bytes(0x21).build(),
                        "The GIF is truncated."),
                invalid("image descriptor cut short", Gif.gif89a(1, 1, 0).bytes(0x2C, 0, 0, 0, 0, 1).build(),
                        "The GIF is truncated."));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidGifs")
    void rejectsInvalidGif(byte[] gif, String message) {
        assertThatThrownBy(() -> GifValidator.validate(gif, DEFAULTS))
                .isExactlyInstanceOf(GifRejected.class)
                .hasMessage(message)
                .hasNoCause();
        assertThat(MESSAGES).contains(message);
    }

    @Test
    void rejectionsCarryNoStackTrace() {
        Throwable rejected = catchThrowable(() -> GifValidator.validate(new byte[0], DEFAULTS));
        assertThat(rejected).isInstanceOf(GifRejected.class);
        assertThat(rejected.getStackTrace()).isEmpty();
    }

    /** A 40000×40000 screen in a 25-byte file is refused right after its size, whatever follows. */
    @Test
    @Timeout(value = 2, unit = TimeUnit.SECONDS)
    void hugeLogicalScreenInATinyFileIsRefusedFast() {
        byte[] bomb = Gif.gif89a(40000, 40000, 0).frame(40000, 40000).trailer();
        assertThat(bomb).hasSizeLessThan(40);
        assertThatThrownBy(() -> GifValidator.validate(bomb, DEFAULTS))
                .hasMessage("The GIF is larger than 4096×4096 pixels.");
        int rejected = 0;
        for (int i = 0; i < 100_000; i++) {
            try {
                GifValidator.validate(bomb, DEFAULTS);
            } catch (GifRejected e) {
                rejected++;
            }
        }
        assertThat(rejected).isEqualTo(100_000);
        // cut right after the screen size: still "too large", not "truncated"
        assertThatThrownBy(() -> GifValidator.validate(Arrays.copyOf(bomb, 10), DEFAULTS))
                .hasMessage("The GIF is larger than 4096×4096 pixels.");
    }

    @Test
    void limitsAreConfigurable() {
        GifLimits small = new GifLimits(16, 3, 500);
        assertThat(GifValidator.validate(frames(3, 16, 10), small)).isEqualTo(new GifInfo(16, 10, 3));
        assertThatThrownBy(() -> GifValidator.validate(Gif.gif89a(17, 1, 0).frame(1, 1).trailer(), small))
                .hasMessage("The GIF is larger than 16×16 pixels.");
        assertThatThrownBy(() -> GifValidator.validate(Gif.gif89a(16, 16, 0).frame(16, 17).trailer(), small))
                .hasMessage("A GIF frame is larger than 16×16 pixels.");
        assertThatThrownBy(() -> GifValidator.validate(frames(4, 1, 1), small))
                .hasMessage("Too many frames (max 3).");
        assertThatThrownBy(() -> GifValidator.validate(frames(2, 16, 16), small))
                .hasMessage("The GIF would decode to too many pixels.");
        // largest possible budget: no overflow when summing
        GifLimits huge = new GifLimits(65535, Integer.MAX_VALUE, Long.MAX_VALUE);
        assertThat(GifValidator.validate(frames(3, 65535, 65535), huge)).isEqualTo(new GifInfo(65535, 65535, 3));
    }

    @Test
    void limitsMustBePositive() {
        assertThatThrownBy(() -> new GifLimits(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GifLimits(65536, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GifLimits(1, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GifLimits(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---------------------------------------------------------------------------------------------------------
    // truncation: every proper prefix of a valid file is rejected, as "not a GIF" below the 6-byte header and
    // as "truncated" from there on (a prefix follows the same path as the whole file until it runs out)

    static Stream<Arguments> truncationSources() {
        return Stream.of(
                Arguments.of(named("every block kind", Gif.gif89a(10, 10, 0x81).colors(4).netscapeLoop()
                        .comment("hello").graphicControl().image(1, 1, 5, 5, 0x80).colors(2).lzw(2)
                        .bytes(0x21, 0x01, 12, 0, 0, 0, 0, 10, 0, 10, 0, 8, 8, 0, 1, 2, 'h', 'i', 0)
                        .graphicControl().frame(10, 10).trailer())),
                Arguments.of(named("ImageIO still resource", resource("imageio-still.gif"))),
                Arguments.of(named("ImageIO animated resource", resource("imageio-animated.gif"))),
                Arguments.of(named("ImageIO animation written now", writeWithImageIo(4, 12, 9))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("truncationSources")
    void everyProperPrefixIsRejected(byte[] gif) {
        assertThat(GifValidator.validate(gif, DEFAULTS).frames()).isPositive();
        for (int length = 0; length < gif.length; length++) {
            byte[] prefix = Arrays.copyOf(gif, length);
            assertThatThrownBy(() -> GifValidator.validate(prefix, DEFAULTS))
                    .as("prefix of %d of %d bytes", length, gif.length)
                    .isExactlyInstanceOf(GifRejected.class)
                    .hasMessage(length < 6 ? "Not a GIF file." : "The GIF is truncated.");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // real files written by the JDK's GIF encoder

    /**
     * The resources were written once by {@link #writeWithImageIo} ({@code imageio-still.gif}: 1 frame of
     * 64×48; {@code imageio-animated.gif}: 6 frames of 32×32 with graphic control extensions, a NETSCAPE2.0
     * loop and a comment), so that the test also covers files the test itself did not just produce.
     */
    static Stream<Arguments> imageIoFiles() {
        return Stream.of(
                Arguments.of(named("resource imageio-still.gif", resource("imageio-still.gif")),
                        new GifInfo(64, 48, 1)),
                Arguments.of(named("resource imageio-animated.gif", resource("imageio-animated.gif")),
                        new GifInfo(32, 32, 6)),
                Arguments.of(named("written now: 1 frame", writeWithImageIo(1, 200, 100)), new GifInfo(200, 100, 1)),
                Arguments.of(named("written now: 30 frames", writeWithImageIo(30, 40, 50)), new GifInfo(40, 50, 30)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("imageIoFiles")
    void acceptsGifsWrittenByImageIo(byte[] gif, GifInfo expected) throws IOException {
        assertThat(new String(gif, 0, 6, StandardCharsets.US_ASCII)).isEqualTo("GIF89a");
        assertThat(GifValidator.validate(gif, DEFAULTS)).isEqualTo(expected);
        assertThat(imageIoFrameCount(gif)).as("frames ImageIO reads back").isEqualTo(expected.frames());
    }

    // ---------------------------------------------------------------------------------------------------------
    // property: nothing but GifRejected, whatever the bytes

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void randomMutationsOfValidFilesOnlyEverThrowGifRejected() {
        List<byte[]> originals = List.of(resource("imageio-animated.gif"), resource("imageio-still.gif"),
                Gif.gif89a(10, 10, 0x81).colors(4).netscapeLoop().comment("hello").graphicControl()
                        .image(1, 1, 5, 5, 0x80).colors(2).lzw(2).graphicControl().frame(10, 10).trailer());
        GifLimits small = new GifLimits(40, 4, 3000);
        Random random = new Random(20240917L);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] mutant = originals.get(random.nextInt(originals.size()));
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                mutant = mutate(mutant, random);
            }
            for (GifLimits limits : List.of(DEFAULTS, small)) {
                try {
                    GifInfo info = GifValidator.validate(mutant, limits);
                    assertThat(info.width()).isBetween(1, limits.maxSide());
                    assertThat(info.height()).isBetween(1, limits.maxSide());
                    assertThat(info.frames()).isBetween(1, limits.maxFrames());
                    accepted++;
                } catch (GifRejected e) {
                    if (limits == DEFAULTS) {
                        assertThat(MESSAGES).as("mutation %d", i).contains(e.getMessage());
                    } else {
                        assertThat(e.getMessage()).isNotBlank();
                    }
                    rejected++;
                }
            }
        }
        // the mutations are not all trivially fatal nor all harmless
        assertThat(accepted).isGreaterThan(100);
        assertThat(rejected).isGreaterThan(1000);
    }

    private static final int[] INTERESTING = {0x00, 0x01, 0x02, 0x04, 0x08, 0x09, 0x21, 0x2C, 0x3B, 0x7F, 0x80,
        0x87, 0xF9, 0xFE, 0xFF};

    private static byte[] mutate(byte[] input, Random random) {
        int length = input.length;
        int at = length == 0 ? 0 : random.nextInt(length);
        switch (random.nextInt(8)) {
            case 0: { // random byte
                if (length == 0) {
                    return input;
                }
                byte[] out = input.clone();
                out[at] = (byte) random.nextInt(256);
                return out;
            }
            case 1: { // bit flip
                if (length == 0) {
                    return input;
                }
                byte[] out = input.clone();
                out[at] ^= (byte) (1 << random.nextInt(8));
                return out;
            }
            case 2: { // interesting byte
                if (length == 0) {
                    return input;
                }
                byte[] out = input.clone();
                out[at] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
                return out;
            }
            case 3: { // insert random bytes
                byte[] inserted = new byte[1 + random.nextInt(8)];
                random.nextBytes(inserted);
                return splice(input, at, 0, inserted);
            }
            case 4: // delete a range
                return splice(input, at, Math.min(length - at, 1 + random.nextInt(16)), new byte[0]);
            case 5: // truncate
                return Arrays.copyOf(input, at);
            case 6: { // duplicate a range (repeats blocks, e.g. frames)
                int count = Math.min(length - at, 1 + random.nextInt(64));
                return splice(input, at, 0, Arrays.copyOfRange(input, at, at + count));
            }
            default: { // append
                byte[] appended = new byte[1 + random.nextInt(4)];
                random.nextBytes(appended);
                return concat(input, appended);
            }
        }
    }

    private static byte[] splice(byte[] input, int at, int remove, byte[] insert) {
        byte[] out = new byte[input.length - remove + insert.length];
        System.arraycopy(input, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(input, at + remove, out, at + insert.length, input.length - at - remove);
        return out;
    }

    // ---------------------------------------------------------------------------------------------------------
    // linear time: sub-blocks are skipped, not read

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void largeFilesAreValidatedInLinearTime() {
        // ~16 MB of 255-byte image data sub-blocks, and ~8 MB of 1-byte comment sub-blocks (4 M blocks)
        byte[] bigBlocks = Gif.gif89a(100, 100, 0).image(0, 0, 100, 100, 0).bytes(8).subBlocks(64_000, 255)
                .trailer();
        byte[] tinyBlocks = Gif.gif89a(1, 1, 0).bytes(0x21, 0xFE).subBlocks(4_000_000, 1).frame(1, 1).trailer();
        for (int i = 0; i < 5; i++) {
            assertThat(GifValidator.validate(bigBlocks, DEFAULTS)).isEqualTo(new GifInfo(100, 100, 1));
            assertThat(GifValidator.validate(tinyBlocks, DEFAULTS)).isEqualTo(new GifInfo(1, 1, 1));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // helpers

    private static Arguments valid(String name, byte[] gif, int width, int height, int frames) {
        return Arguments.of(named(name, gif), new GifInfo(width, height, frames));
    }

    private static Arguments invalid(String name, byte[] gif, String message) {
        return Arguments.of(named(name, gif), message);
    }

    /** 1×1, two-colour global table, one frame: 35 bytes. */
    private static byte[] tiny() {
        return Gif.gif89a(1, 1, 0x80).colors(2).frame(1, 1).trailer();
    }

    /** {@code count} frames of width × height, each with a graphic control extension. */
    private static byte[] animation(int count, int width, int height) {
        Gif gif = Gif.gif89a(width, height, 0x80).colors(2).netscapeLoop();
        for (int i = 0; i < count; i++) {
            gif.graphicControl().frame(width, height);
        }
        return gif.trailer();
    }

    /** {@code count} bare frames of width × height on a screen of the same size. */
    private static byte[] frames(int count, int width, int height) {
        Gif gif = Gif.gif89a(width, height, 0);
        for (int i = 0; i < count; i++) {
            gif.frame(width, height);
        }
        return gif.trailer();
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static byte[] resource(String name) {
        try (InputStream in = GifValidatorTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A GIF89a written by the JDK's encoder: {@code frames} frames of width × height, each a different
     * drawing, with a graphic control extension (10 ms, dispose to background) on every frame and, if
     * animated, a NETSCAPE2.0 loop-forever extension and a comment on the first.
     */
    static byte[] writeWithImageIo(int frames, int width, int height) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                writer.prepareWriteSequence(null);
                for (int i = 0; i < frames; i++) {
                    BufferedImage image = drawing(i, width, height);
                    IIOMetadata metadata = writer.getDefaultImageMetadata(
                            ImageTypeSpecifier.createFromRenderedImage(image), writer.getDefaultWriteParam());
                    String format = metadata.getNativeMetadataFormatName();
                    IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree(format);
                    IIOMetadataNode control = child(root, "GraphicControlExtension");
                    control.setAttribute("disposalMethod", "restoreToBackgroundColor");
                    control.setAttribute("userInputFlag", "FALSE");
                    control.setAttribute("transparentColorFlag", "FALSE");
                    control.setAttribute("delayTime", "10");
                    control.setAttribute("transparentColorIndex", "0");
                    if (frames > 1 && i == 0) {
                        IIOMetadataNode loop = new IIOMetadataNode("ApplicationExtension");
                        loop.setAttribute("applicationID", "NETSCAPE");
                        loop.setAttribute("authenticationCode", "2.0");
                        loop.setUserObject(new byte[] {1, 0, 0});
                        child(root, "ApplicationExtensions").appendChild(loop);
                        IIOMetadataNode comment = new IIOMetadataNode("CommentExtension");
                        comment.setAttribute("value", "gif-chat test animation");
                        child(root, "CommentExtensions").appendChild(comment);
                    }
                    metadata.setFromTree(format, root);
                    writer.writeToSequence(new IIOImage(image, null, metadata), null);
                }
                writer.endWriteSequence();
            } finally {
                writer.dispose();
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static BufferedImage drawing(int index, int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(new Color(Color.HSBtoRGB(index / 8f, 0.8f, 0.9f)));
            int size = Math.max(1, Math.min(width, height) / 2);
            g.fillOval((index * 3) % Math.max(1, width - size), (index * 5) % Math.max(1, height - size), size,
                    size);
            g.setColor(Color.BLACK);
            g.drawLine(0, index % height, width - 1, height - 1 - index % height);
        } finally {
            g.dispose();
        }
        return image;
    }

    private static IIOMetadataNode child(IIOMetadataNode parent, String name) {
        for (int i = 0; i < parent.getLength(); i++) {
            if (parent.item(i).getNodeName().equals(name)) {
                return (IIOMetadataNode) parent.item(i);
            }
        }
        IIOMetadataNode node = new IIOMetadataNode(name);
        parent.appendChild(node);
        return node;
    }

    private static int imageIoFrameCount(byte[] gif) throws IOException {
        ImageReader reader = ImageIO.getImageReadersByFormatName("gif").next();
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(gif))) {
            reader.setInput(in);
            int count = reader.getNumImages(true);
            for (int i = 0; i < count; i++) {
                reader.read(i); // decodes, so a broken file would throw
            }
            return count;
        } finally {
            reader.dispose();
        }
    }

    /**
     * Writes GIF blocks byte by byte. {@link #lzw} writes the LZW data of one pixel (clear, index 0, end): that
     * is all a 1×1 frame needs, and structurally all the validator looks at for larger ones.
     */
    static final class Gif {

        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        static Gif header(String signature) {
            return new Gif().ascii(signature);
        }

        /** "GIF89a" and a logical screen descriptor; {@code packed} as in the spec (0x80: global table). */
        static Gif gif89a(int width, int height, int packed) {
            return header("GIF89a").screen(width, height, packed);
        }

        Gif screen(int width, int height, int packed) {
            return u16(width).u16(height).bytes(packed, 0, 0);
        }

        /** A colour table of {@code entries} RGB triples. */
        Gif colors(int entries) {
            for (int i = 0; i < entries; i++) {
                bytes(i, 255 - i, i * 7);
            }
            return this;
        }

        /** A frame at 0,0 without local table, with LZW minimum code size 2 and its data. */
        Gif frame(int width, int height) {
            return image(0, 0, width, height, 0).lzw(2);
        }

        /** An image descriptor alone; {@code packed} as in the spec (0x80: local table, 0x40: interlaced). */
        Gif image(int left, int top, int width, int height, int packed) {
            return bytes(0x2C).u16(left).u16(top).u16(width).u16(height).bytes(packed);
        }

        /** The LZW minimum code size, the data of one pixel of index 0 and the block terminator. */
        Gif lzw(int codeSize) {
            int width = codeSize + 1;
            int clear = 1 << codeSize;
            long bits = clear | ((long) (clear + 1) << (2 * width)); // clear, 0, end
            int byteCount = (3 * width + 7) / 8;
            bytes(codeSize, byteCount);
            for (int i = 0; i < byteCount; i++) {
                bytes((int) (bits >>> (8 * i)) & 0xFF);
            }
            return bytes(0);
        }

        /** {@code count} sub-blocks of {@code size} bytes each, then the block terminator. */
        Gif subBlocks(int count, int size) {
            byte[] block = new byte[size + 1];
            block[0] = (byte) size;
            Arrays.fill(block, 1, block.length, (byte) 0x5A);
            for (int i = 0; i < count; i++) {
                out.writeBytes(block);
            }
            return bytes(0);
        }

        Gif graphicControl() {
            return bytes(0x21, 0xF9, 4, 0x08, 10, 0, 0, 0);
        }

        Gif netscapeLoop() {
            return bytes(0x21, 0xFF, 11).ascii("NETSCAPE2.0").bytes(3, 1, 0, 0, 0);
        }

        Gif comment(String text) {
            byte[] data = text.getBytes(StandardCharsets.US_ASCII);
            return bytes(0x21, 0xFE, data.length).raw(data).bytes(0);
        }

        Gif ascii(String text) {
            return raw(text.getBytes(StandardCharsets.US_ASCII));
        }

        Gif bytes(int... values) {
            for (int value : values) {
                out.write(value);
            }
            return this;
        }

        private Gif raw(byte[] data) {
            out.writeBytes(data);
            return this;
        }

        private Gif u16(int value) {
            return bytes(value & 0xFF, (value >>> 8) & 0xFF);
        }

        /** The trailer, and the bytes. */
        byte[] trailer() {
            return bytes(0x3B).build();
        }

        byte[] build() {
            return out.toByteArray();
        }
    }
}
