package io.gifchat.gif;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.gifchat.gif.GifValidator.GifInfo;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;

/**
 * Whatever bytes arrive, the validator returns a {@link GifInfo} within the limits or throws {@link GifRejected}
 * (anything else escapes and fails the test), tighter limits never accept what looser ones refuse, and an
 * accepted file stops being acceptable when cut short or followed by anything.
 *
 * <p>Without JAZZER_FUZZ this replays the seeds in
 * {@code src/test/resources/io/gifchat/gif/GifValidatorFuzzTestInputs/validatorAcceptsOrRejectsCleanly/}
 * (valid GIFs from ImageIO and the test builder, and a few broken ones) as one JUnit invocation each. To fuzz:
 * {@code JAZZER_FUZZ=1 ./mvnw test -Dtest=GifValidatorFuzzTest}.
 */
class GifValidatorFuzzTest {

    /** Small, so that fuzzing reaches every limit quickly; each one within the defaults. */
    private static final GifLimits SMALL = new GifLimits(40, 4, 3000);

    /** See StompDecoderFuzzTest: replaying seeds needs none of Jazzer's bytecode hooks, fuzzing keeps them. */
    @BeforeAll
    static void skipJazzerHooksWhenOnlyReplaying() {
        if (System.getenv("JAZZER_FUZZ") == null && System.getProperty("jazzer.hooks") == null) {
            System.setProperty("jazzer.hooks", "false");
        }
    }

    @FuzzTest(maxDuration = "60s")
    void validatorAcceptsOrRejectsCleanly(byte[] input) {
        GifInfo loose = validate(input, GifLimits.DEFAULTS);
        GifInfo small = validate(input, SMALL);
        if (small != null) {
            assertThat(loose).as("accepted by tighter limits, so by the defaults").isEqualTo(small);
        }
        if (loose != null) {
            assertThatThrownBy(() -> GifValidator.validate(Arrays.copyOf(input, input.length - 1),
                    GifLimits.DEFAULTS)).isExactlyInstanceOf(GifRejected.class);
            assertThatThrownBy(() -> GifValidator.validate(Arrays.copyOf(input, input.length + 1),
                    GifLimits.DEFAULTS)).hasMessage("Unexpected data after the GIF trailer.");
        }
    }

    /** The info if accepted, within {@code limits}; null if rejected. */
    private static GifInfo validate(byte[] input, GifLimits limits) {
        GifInfo info;
        try {
            info = GifValidator.validate(input, limits);
        } catch (GifRejected e) {
            assertThat(e.getMessage()).isNotBlank();
            return null;
        }
        assertThat(info.width()).isBetween(1, limits.maxSide());
        assertThat(info.height()).isBetween(1, limits.maxSide());
        assertThat(info.frames()).isBetween(1, limits.maxFrames());
        assertThat((long) info.frames()).isLessThanOrEqualTo(limits.maxTotalPixels());
        return info;
    }
}
