package io.gifchat.identity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins the port to npm color-hash 2.0.x: the vectors come from the package itself (scripts/color-hash). */
class ColorHashTest {

    static final String VECTORS = "color-hash-vectors.tsv";

    static List<String> vectorLines() throws IOException {
        try (InputStream in = ColorHashTest.class.getResourceAsStream(VECTORS)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    static Stream<Arguments> vectors() throws IOException {
        JsonMapper json = JsonMapper.builder().build();
        return vectorLines().stream().map(line -> {
            int tab = line.lastIndexOf('\t');
            return Arguments.of(json.readValue(line.substring(0, tab), String.class), line.substring(tab + 1));
        });
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @MethodSource("vectors")
    void givesTheSameHexAsNpmColorHash(String input, String expectedHex) {
        assertThat(ColorHash.hex(input)).isEqualTo(expectedHex);
    }

    @org.junit.jupiter.api.Test
    void hasEnoughVariedVectors() throws IOException {
        List<String> lines = vectorLines();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(50);
        assertThat(lines).anyMatch(line -> line.chars().anyMatch(c -> c > 0x7f));
        assertThat(lines.stream().map(line -> line.substring(line.lastIndexOf('\t') + 1)).distinct().count())
                .as("distinct colors").isGreaterThan(40);
    }
}
