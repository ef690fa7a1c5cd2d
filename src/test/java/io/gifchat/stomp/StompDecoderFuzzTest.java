package io.gifchat.stomp;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;

/**
 * Whatever bytes arrive, the decoder returns frames within the limits or throws StompProtocolException,
 * and the result does not depend on how the bytes were chunked.
 *
 * <p>Without JAZZER_FUZZ this replays the seeds in
 * {@code src/test/resources/io/gifchat/stomp/StompDecoderFuzzTestInputs/decoderAcceptsOrRejectsCleanly/}
 * (jazzer-junit's convention: {@code <TestClassSimpleName>Inputs/<methodName>} next to the class' package)
 * as one JUnit invocation each. To fuzz: {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=StompDecoderFuzzTest}.
 */
class StompDecoderFuzzTest {

    /** Small, so that fuzzing reaches every limit quickly. */
    private static final StompLimits LIMITS = new StompLimits(256, 6, 64);
    private static final StompLimits ROOMY = new StompLimits(1 << 20, 1000, 1 << 20);

    /**
     * Replaying seeds needs none of Jazzer's bytecode hooks (sanitizers, coverage), and installing them costs
     * 10-20 s per test JVM and instruments every project class loaded afterwards. Fuzzing keeps them.
     */
    @BeforeAll
    static void skipJazzerHooksWhenOnlyReplaying() {
        if (System.getenv("JAZZER_FUZZ") == null && System.getProperty("jazzer.hooks") == null) {
            System.setProperty("jazzer.hooks", "false");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void decoderAcceptsOrRejectsCleanly(byte[] input) {
        for (StompVersion version : StompVersion.values()) {
            Outcome whole = decode(input, version, new int[] {input.length});
            assertThat(decode(input, version, bytewise(input.length))).isEqualTo(whole);
            assertThat(decode(input, version, randomChunks(input))).isEqualTo(whole);
            for (StompFrame frame : whole.frames) {
                assertWithinLimits(frame);
                assertReencodes(frame, version);
            }
        }
    }

    private static Outcome decode(byte[] input, StompVersion version, int[] chunkSizes) {
        StompDecoder decoder = new StompDecoder(LIMITS);
        decoder.setVersion(version);
        List<StompFrame> frames = new ArrayList<>();
        boolean failed = false;
        int offset = 0;
        try {
            for (int size : chunkSizes) {
                // a read-only buffer has no accessible array: exercises the direct-buffer path too
                ByteBuffer chunk = ByteBuffer.wrap(input, offset, size);
                decoder.decode((size & 1) == 0 ? chunk : chunk.asReadOnlyBuffer(), frames::add);
                offset += size;
            }
        } catch (StompProtocolException e) {
            // the only exception allowed; anything else escapes and fails the test
            assertThat(e.getMessage()).isNotBlank();
            assertThat(decoder.isFailed()).isTrue();
            failed = true;
        }
        return new Outcome(frames, failed, decoder.heartbeatsSeen());
    }

    private static void assertWithinLimits(StompFrame frame) {
        assertThat(frame.body().length).isLessThanOrEqualTo(LIMITS.maxFrameBytes());
        assertThat(frame.headers().size()).isLessThanOrEqualTo(LIMITS.maxHeaders());
    }

    /**
     * Encoding a decoded frame and decoding it again gives it back (plus content-length if the encoder added
     * one). The encoder may only refuse frames whose headers are never escaped: a raw CR that decodes as part
     * of a CONNECT header value cannot be written back without escaping.
     */
    private static void assertReencodes(StompFrame frame, StompVersion version) {
        byte[] encoded;
        try {
            encoded = StompEncoder.encode(frame, version);
        } catch (IllegalArgumentException e) {
            assertThat(frame.command().escapesHeaders() && version.escapesHeaders()).as(e.getMessage()).isFalse();
            return;
        }
        if (version == StompVersion.V1_1) {
            return; // 1.1 cannot escape CR, so a value ending in CR does not survive the lenient CR LF rule
        }
        StompDecoder decoder = new StompDecoder(ROOMY);
        decoder.setVersion(version);
        StompFrame expected = frame.body().length > 0 && frame.header(StompHeaders.CONTENT_LENGTH) == null
                ? StompFrame.of(frame.command(),
                        frame.headers().with(StompHeaders.CONTENT_LENGTH, Integer.toString(frame.body().length)),
                        frame.body())
                : frame;
        assertThat(decoder.decode(ByteBuffer.wrap(encoded))).containsExactly(expected);
    }

    private static int[] bytewise(int length) {
        int[] sizes = new int[length];
        Arrays.fill(sizes, 1);
        return sizes;
    }

    private static int[] randomChunks(byte[] input) {
        Random random = new Random(Arrays.hashCode(input));
        List<Integer> sizes = new ArrayList<>();
        int left = input.length;
        while (left > 0) {
            int size = Math.min(left, 1 + random.nextInt(16));
            sizes.add(size);
            left -= size;
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Frames delivered before the end or the error, whether there was one, heart-beats counted. */
    private record Outcome(List<StompFrame> frames, boolean failed, long heartbeats) {
    }
}
