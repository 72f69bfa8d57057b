package dev.netns.spring.boot.aop;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an {@link InNamespace} value that names nothing valid into Boot's Description / Action start-up report. */
class InvalidInNamespaceFailureAnalyzer extends AbstractFailureAnalyzer<InvalidInNamespaceException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidInNamespaceException cause) {
        return new FailureAnalysis(
                "@InNamespace(\"" + cause.getValue() + "\") on " + cause.getAnnotated()
                        + " is neither an alias (netns.namespaces.*) nor a valid namespace reference: " + cause.getReason() + ".",
                "Define the alias under netns.namespaces, or correct the value to a reference such as NAME, name:NAME,"
                        + " pid:PID, path:/PATH, docker:CONTAINER, host or current.",
                cause);
    }
}
