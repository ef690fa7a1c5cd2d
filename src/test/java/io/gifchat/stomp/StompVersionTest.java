package io.gifchat.stomp;

import static io.gifchat.stomp.StompVersion.V1_0;
import static io.gifchat.stomp.StompVersion.V1_1;
import static io.gifchat.stomp.StompVersion.V1_2;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StompVersionTest {

    @ParameterizedTest(name = "accept-version \"{0}\" -> {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "1.0,1.1,1.2 | V1_2",
            "1.2         | V1_2",
            "1.1,1.0     | V1_1",
            "1.0         | V1_0",
            "1.2,2.0     | V1_2",
            "' 1.0 , 1.1 ' | V1_1",
            "1.1,1.2,    | V1_2",
            "2.0         | NULL",
            "''          | NULL",
            "1.20        | NULL",
    })
    void negotiatesTheHighestCommonVersion(String acceptVersion, StompVersion expected) {
        assertThat(StompVersion.negotiate(acceptVersion)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void missingAcceptVersionMeans10() {
        assertThat(StompVersion.negotiate(null)).contains(V1_0);
    }

    @Test
    void negotiatesOnlyWhatTheServerSupports() {
        assertThat(StompVersion.negotiate("1.0,1.1,1.2", EnumSet.of(V1_1))).contains(V1_1);
        assertThat(StompVersion.negotiate("1.0", EnumSet.of(V1_1, V1_2))).isEmpty();
        assertThat(StompVersion.negotiate(null, EnumSet.of(V1_2))).isEmpty();
    }

    @Test
    void mapsSubprotocolsBothWays() {
        assertThat(StompVersion.subprotocols()).containsExactly("v12.stomp", "v11.stomp", "v10.stomp");
        assertThat(StompVersion.fromSubprotocol("v11.stomp")).contains(V1_1);
        assertThat(StompVersion.fromSubprotocol("stomp")).isEmpty();
        assertThat(V1_2.subprotocol()).isEqualTo("v12.stomp");
        assertThat(StompVersion.fromVersion("1.2")).contains(V1_2);
    }

    @Test
    void escapingGrowsWithTheVersion() {
        assertThat(V1_0.escapesHeaders()).isFalse();
        assertThat(V1_1.escapesHeaders()).isTrue();
        assertThat(V1_1.escapesCarriageReturn()).isFalse();
        assertThat(V1_2.escapesCarriageReturn()).isTrue();
        assertThat(V1_2.allowsCrLf()).isTrue();
        assertThat(V1_1.allowsCrLf()).isFalse();
    }
}
