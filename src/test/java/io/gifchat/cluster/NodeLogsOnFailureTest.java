package io.gifchat.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeLogsOnFailureTest {

    static final String LOG = """
            2026-12-01T19:00:00.000Z  INFO 1 --- [gif-chat] [main] io.gifchat.App : Started
            2026-12-01T19:00:01.000Z ERROR 1 --- [gif-chat] [ctor-http-nio-2] a.w.r.e.AbstractErrorWebExceptionHandler : [1] 500 Server Error for HTTP GET "/"
            java.lang.IllegalStateException: broken
            \tat io.gifchat.X.y(X.java:1)
            Caused by: java.io.IOException: under it
            \t... 3 more
            2026-12-01T19:00:02.000Z  INFO 1 --- [gif-chat] [main] io.gifchat.App : later
            """;

    @Test
    void keepsEachErrorLineWithTheStackTraceUnderItAndNothingElse() {
        assertThat(NodeLogsOnFailure.errorLines(LOG, 80)).hasSize(5)
                .first().asString().contains("500 Server Error");
        assertThat(NodeLogsOnFailure.errorLines(LOG, 80)).noneMatch(line -> line.contains("INFO"));
    }

    @Test
    void staysWithinItsBound() {
        assertThat(NodeLogsOnFailure.errorLines(LOG, 2)).containsExactly(LOG.lines().skip(1).findFirst().orElseThrow(),
                "java.lang.IllegalStateException: broken", "(more in the log)");
    }
}
