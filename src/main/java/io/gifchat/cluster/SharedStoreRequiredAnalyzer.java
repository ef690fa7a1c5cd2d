package io.gifchat.cluster;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns {@link SharedStoreRequired} into Boot's start-up failure report: one explanation, no stack trace. */
final class SharedStoreRequiredAnalyzer extends AbstractFailureAnalyzer<SharedStoreRequired> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SharedStoreRequired cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Set spring.mongodb.uri to the MongoDB every node uses, or run one node without gifchat.cluster.enabled.",
                cause);
    }
}
