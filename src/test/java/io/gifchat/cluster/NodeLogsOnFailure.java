package io.gifchat.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * A failing cluster test says what its nodes logged as errors: the failure is often only the visible end (a 500, a
 * missing frame) of an exception in a node's JVM, whose log stays behind on the machine that ran it (CI keeps only
 * the build's output). The failure is rethrown with the same stack trace and the ERROR lines of every node of every
 * open {@link ClusterRun} (each with the stack trace under it, bounded) appended to its message.
 */
final class NodeLogsOnFailure implements TestExecutionExceptionHandler {

    /** Per node: enough for two or three stack traces, few enough for a build log. */
    static final int MAX_LINES = 80;
    /** How Boot's console format begins an entry: its timestamp. */
    private static final Pattern ENTRY = Pattern.compile("\\d{4}-\\d\\d-\\d\\dT\\d\\d:");

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        StringBuilder errors = new StringBuilder();
        for (ClusterRun run : ClusterRun.open()) {
            for (NodeProcess node : run.nodes()) {
                List<String> lines = errorLines(node.output(), MAX_LINES);
                if (!lines.isEmpty()) {
                    errors.append("\n--- ERROR lines of ").append(node).append(" (").append(node.log()).append("):\n")
                            .append(String.join("\n", lines));
                }
            }
        }
        if (errors.isEmpty()) {
            throw thrown;
        }
        AssertionError told = new AssertionError(thrown.getMessage() + errors, thrown);
        told.setStackTrace(thrown.getStackTrace());
        throw told;
    }

    /** Each entry logged at ERROR, with the lines under it (its stack trace), at most {@code max} in all. */
    static List<String> errorLines(String log, int max) {
        List<String> kept = new ArrayList<>();
        boolean inError = false;
        for (String line : log.lines().toList()) {
            if (ENTRY.matcher(line).lookingAt()) { // a new entry; a line without a timestamp goes with the one above
                inError = line.contains(" ERROR ");
            }
            if (inError) {
                if (kept.size() == max) {
                    kept.add("(more in the log)");
                    return kept;
                }
                kept.add(line);
            }
        }
        return kept;
    }
}
