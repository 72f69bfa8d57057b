package dev.netns.spring.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns an invalid {@code netns.*} property into Boot's Description / Action start-up report. */
class InvalidNetnsPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidNetnsPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidNetnsPropertyException cause) {
        return new FailureAnalysis(
                "The netns property '" + cause.getProperty() + "' has the value '" + cause.getValue()
                        + "', which cannot be used: " + cause.getReason() + ".",
                "Correct '" + cause.getProperty() + "' in your configuration (see the netns.* properties in the"
                        + " netns README), or remove it to use the default.",
                cause);
    }
}
