package io.gifchat.identity;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Regenerates the vectors from npm color-hash with the script kept in the repo and checks the committed file is
 * what the package says today, so a drift of either the package or the file is caught. Needs node and the npm
 * registry: skipped with a message where node is missing, but never under CI, where .ci/run installs node.
 */
class ColorHashVectorsTest {

    private static final Path SCRIPT_DIR = Path.of("scripts", "color-hash");

    @Test
    void committedVectorsAreWhatNpmColorHashProducesToday() throws Exception {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        boolean node = run(List.of("node", "--version"), SCRIPT_DIR).exit == 0;
        if (!ci) {
            assumeThat(node).as("node is not installed: skipping the npm color-hash regeneration check").isTrue();
        }
        assertThat(node).as("node must be installed under CI (.ci/run installs it)").isTrue();

        Result install = run(List.of("npm", "install", "--no-audit", "--no-fund", "--loglevel=error"), SCRIPT_DIR);
        assertThat(install.exit).as("npm install: %s", install.output).isZero();
        Result vectors = run(List.of("node", "vectors.mjs"), SCRIPT_DIR);
        assertThat(vectors.exit).as("node vectors.mjs: %s", vectors.output).isZero();

        assertThat(vectors.output.lines().toList()).isEqualTo(ColorHashTest.vectorLines());
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, Path dir) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException notInstalled) {
            return new Result(-1, notInstalled.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return new Result(-1, "timed out");
        }
        return new Result(process.exitValue(), output);
    }
}
