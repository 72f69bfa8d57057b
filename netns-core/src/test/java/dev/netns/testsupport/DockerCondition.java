package dev.netns.testsupport;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs Docker tests only when an engine answers and has the test image; fails instead of skipping when required. */
public final class DockerCondition implements ExecutionCondition {

    private static volatile String missing;
    private static volatile boolean checked;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String why = missingDocker();
        if (why == null) {
            return ConditionEvaluationResult.enabled("a Docker engine answers and has " + DockerContainers.IMAGE);
        }
        String reason = context.getDisplayName() + " needs a Docker engine with the image " + DockerContainers.IMAGE
                + " (run scripts/setup-test-env.sh as root): " + why;
        if (Boolean.getBoolean(PrivilegesCondition.REQUIRE_PROPERTY)) {
            throw new IllegalStateException(reason + "; -D" + PrivilegesCondition.REQUIRE_PROPERTY + "=true forbids skipping it");
        }
        System.err.println("SKIPPED " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    /** Why Docker tests cannot run here, or null when they can. Checked once per JVM. */
    static synchronized String missingDocker() {
        if (!checked) {
            missing = DockerContainers.problem();
            checked = true;
        }
        return missing;
    }
}
