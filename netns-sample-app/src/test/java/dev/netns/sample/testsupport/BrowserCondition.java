package dev.netns.sample.testsupport;

import dev.netns.testsupport.PrivilegesCondition;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs browser tests only where Chromium and chromedriver are installed; fails instead of skipping when required. */
public final class BrowserCondition implements ExecutionCondition {

    /** The browser: system property {@code netns.test.chromium}, else Debian's. */
    public static Path chromium() {
        return Path.of(System.getProperty("netns.test.chromium", "/usr/bin/chromium"));
    }

    /** The driver: system property {@code netns.test.chromedriver}, else Debian's. */
    public static Path chromedriver() {
        return Path.of(System.getProperty("netns.test.chromedriver", "/usr/bin/chromedriver"));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = missing();
        if (missing == null) {
            return ConditionEvaluationResult.enabled("Chromium and chromedriver are installed");
        }
        String reason = context.getDisplayName() + " needs Chromium and chromedriver (Debian's chromium and chromium-driver;"
                + " run scripts/setup-test-env.sh as root): " + missing;
        if (Boolean.getBoolean(PrivilegesCondition.REQUIRE_PROPERTY)) {
            throw new IllegalStateException(reason + "; -D" + PrivilegesCondition.REQUIRE_PROPERTY + "=true forbids skipping it");
        }
        System.err.println("SKIPPED " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    static String missing() {
        for (Path path : new Path[] {chromium(), chromedriver()}) {
            if (!Files.isExecutable(path)) {
                return path + " is not installed";
            }
        }
        return null;
    }
}
