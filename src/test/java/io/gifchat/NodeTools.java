package io.gifchat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * node and npm for tests that need an npm package (the stompjs client, axe-core): packages are installed from a
 * {@code package.json} + lock under {@code src/test/node/…} into a copy under {@code target/}, so node_modules never
 * lands in the source tree. Missing tools skip the test with a message, except under {@code CI=true}, where
 * {@code .ci/run} installs them and their absence is a failure.
 */
public final class NodeTools {

    static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase().contains("win");
    public static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

    private NodeTools() {
    }

    /** A finished command: exit code ({@code -1} when it could not start or timed out) and its output. */
    public record Result(int exit, String stdout, String stderr) {

        public String lastLine() {
            List<String> lines = stdout.lines().filter(line -> !line.isBlank()).toList();
            return lines.isEmpty() ? "{}" : lines.get(lines.size() - 1);
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout:\n" + stdout + "\n--- stderr:\n" + stderr;
        }
    }

    /** Skips the calling test when node or npm is missing (fails instead under CI). */
    public static void requireNodeAndNpm(String what) throws IOException, InterruptedException {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        Result node = run(List.of("node", "--version"), Path.of("."), Duration.ofSeconds(30));
        Result npm = run(List.of(npm(), "--version"), Path.of("."), Duration.ofSeconds(60));
        if (!ci) {
            assumeThat(node.exit == 0 && npm.exit == 0)
                    .as("node/npm are not installed (node: %s; npm: %s): skipping %s", node, npm, what)
                    .isTrue();
        }
        assertThat(node.exit).as("node must be installed under CI (.ci/run installs it): %s", node).isZero();
        assertThat(npm.exit).as("npm must be installed under CI (.ci/run installs it): %s", npm).isZero();
    }

    /** Copies {@code files} from {@code source} to {@code work} and runs {@code npm install} there. */
    public static void install(Path source, Path work, List<String> files) throws IOException, InterruptedException {
        Files.createDirectories(work);
        for (String file : files) {
            Files.copy(source.resolve(file), work.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Result install = run(List.of(npm(), "install", "--no-audit", "--no-fund", "--loglevel=error"), work,
                INSTALL_TIMEOUT);
        assertThat(install.exit).as("npm install in %s: %s", work, install).isZero();
    }

    /** Runs a command with its output in files (no pipe can fill up), bounded by a time-out. */
    public static Result run(List<String> command, Path dir, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile("node-tool", ".out");
        Path err = Files.createTempFile("node-tool", ".err");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectInput(ProcessBuilder.Redirect.from(new File(WINDOWS ? "NUL" : "/dev/null")))
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            } catch (IOException notInstalled) {
                return new Result(-1, "", String.join(" ", command) + ": " + notInstalled.getMessage());
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                return new Result(-1, read(out), read(err) + "\n" + String.join(" ", command) + ": timed out after " + timeout);
            }
            return new Result(process.exitValue(), read(out), read(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static String npm() {
        return WINDOWS ? "npm.cmd" : "npm";
    }

    private static String read(Path file) throws IOException {
        return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    }
}
