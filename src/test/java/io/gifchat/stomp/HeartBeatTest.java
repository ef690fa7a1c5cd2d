package io.gifchat.stomp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class HeartBeatTest {

    @Test
    void parsesTwoIntervals() {
        assertThat(HeartBeat.parse("10000,5000")).isEqualTo(new HeartBeat(10_000, 5_000));
        assertThat(HeartBeat.parse(" 0 , 20000 ")).isEqualTo(new HeartBeat(0, 20_000));
    }

    @Test
    void missingHeaderMeansNoHeartBeats() {
        assertThat(HeartBeat.parse(null)).isEqualTo(HeartBeat.NONE).isEqualTo(new HeartBeat(0, 0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ",", "10", "10,", ",10", "-1,0", "1,2,3", "a,b", "1 0,0", "1000000000000000000000x,1"})
    void rejectsMalformedHeaders(String header) {
        assertThatThrownBy(() -> HeartBeat.parse(header)).isInstanceOf(StompProtocolException.class)
                .hasMessage("malformed heart-beat");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775807,9223372036854775807", "9223372036854775808,99999999999999999999999",
            "2147483648,2147483648", "999999999999999999,999999999999999999"})
    void aHeartBeatTooLargeForAnyTimerIsClampedInsteadOfOverflowing(String header) {
        HeartBeat huge = HeartBeat.parse(header);

        assertThat(huge).isEqualTo(new HeartBeat(HeartBeat.MAX_MILLIS, HeartBeat.MAX_MILLIS));
        HeartBeat.Schedule schedule = HeartBeat.negotiate(huge, new HeartBeat(10_000, 10_000));
        assertThat(schedule).isEqualTo(new HeartBeat.Schedule(HeartBeat.MAX_MILLIS, HeartBeat.MAX_MILLIS));
        assertThat(java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(schedule.expectEveryMillis()) * 2)
                .as("twice the interval in nanoseconds, as the server's silence check computes it").isPositive();
        assertThat(new HeartBeat(Long.MAX_VALUE, 0).cx()).isEqualTo(HeartBeat.MAX_MILLIS);
    }

    @Test
    void writesTheHeaderValue() {
        assertThat(new HeartBeat(10_000, 0).toHeaderValue()).isEqualTo("10000,0");
    }

    @ParameterizedTest(name = "client {0},{1} server {2},{3} -> send {4} expect {5}")
    @CsvSource({
            // spec: server sends every max(sx,cy), expects every max(cx,sy); 0 on either side disables
            "10000, 10000, 5000, 5000, 10000, 10000",
            "4000,  20000, 10000, 10000, 20000, 10000",
            "0,     10000, 10000, 10000, 10000, 0",
            "10000, 0,     10000, 10000, 0,     10000",
            "10000, 10000, 0,     10000, 0,     10000",
            "10000, 10000, 10000, 0,     10000, 0",
            "0,     0,     10000, 10000, 0,     0",
    })
    void negotiatesPerSpec(long cx, long cy, long sx, long sy, long send, long expect) {
        HeartBeat.Schedule schedule = HeartBeat.negotiate(new HeartBeat(cx, cy), new HeartBeat(sx, sy));
        assertThat(schedule).isEqualTo(new HeartBeat.Schedule(send, expect));
        assertThat(schedule.sends()).isEqualTo(send > 0);
        assertThat(schedule.expects()).isEqualTo(expect > 0);
    }
}
