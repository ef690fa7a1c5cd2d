package io.gifchat.cluster;

import java.time.Duration;
import java.util.Arrays;

import io.gifchat.domain.Refusal;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ErrandTest {

    @Test
    void aRequestComesBackAsItWasSent() {
        Errand sent = Errand.request(42, "node-a", "fallback-post", new byte[] {1, 2, 0, -1});
        Errand read = Errand.decode(sent.encode());
        assertThat(read.type()).isEqualTo(Errand.REQUEST);
        assertThat(read.number()).isEqualTo(42);
        assertThat(read.from()).isEqualTo("node-a");
        assertThat(read.kind()).isEqualTo("fallback-post");
        assertThat(read.payload()).containsExactly(1, 2, 0, -1);
    }

    @Test
    void anAnswerAndARefusalKeepWhatTheSenderNeeds() {
        assertThat(Errand.decode(Errand.answer(7, new byte[0]).encode()).payload()).isEmpty();
        Refusal refusal = Errand.decode(Errand.refused(8,
                Refusal.tooMany("Slow down.", Duration.ofMillis(1500))).encode()).refusal();
        assertThat(refusal.reason()).isEqualTo(Refusal.Reason.TOO_MANY);
        assertThat(refusal.getMessage()).isEqualTo("Slow down.");
        assertThat(refusal.retryAfter()).isEqualTo(Duration.ofMillis(1500));
        assertThat(Errand.decode(Errand.refused(9, Refusal.of(Refusal.Reason.FULL, "One at a time.")).encode())
                .refusal().reason()).isEqualTo(Refusal.Reason.FULL);
    }

    @Test
    void bytesThatAreNoErrandAreRefusedAsSuch() {
        assertThatThrownBy(() -> Errand.decode(new byte[] {9, 1})).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 9");
        byte[] cut = Errand.request(1, "a", "k", new byte[100]).encode();
        assertThatThrownBy(() -> Errand.decode(Arrays.copyOf(cut, cut.length - 10)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
