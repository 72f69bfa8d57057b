package dev.netns.spring.boot.aop;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Lets tests elsewhere run the package-private {@link InvalidInNamespaceFailureAnalyzer}. */
public final class InvalidInNamespaceFailureAnalyzerAccess {

    public @Nullable FailureAnalysis analyze(Throwable failure) {
        return new InvalidInNamespaceFailureAnalyzer().analyze(failure);
    }
}
