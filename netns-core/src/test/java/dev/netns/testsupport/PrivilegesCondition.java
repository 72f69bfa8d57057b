package dev.netns.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Runs privileged tests only with CAP_SYS_ADMIN; fails instead of skipping when privileges are required. */
public final class PrivilegesCondition implements ExecutionCondition {

    /** System property that turns every privilege skip into a failure. */
    public static final String REQUIRE_PROPERTY = "netns.test.require-privileges";
    private static final int CAP_SYS_ADMIN = 21;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String missing = missingPrivilege();
        if (missing == null) {
            return ConditionEvaluationResult.enabled("running with CAP_SYS_ADMIN on Linux");
        }
        String reason = context.getDisplayName() + " needs CAP_SYS_ADMIN on Linux (run the tests as root): " + missing;
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            throw new IllegalStateException(reason + "; -D" + REQUIRE_PROPERTY + "=true forbids skipping it");
        }
        System.err.println("SKIPPED " + reason);
        return ConditionEvaluationResult.disabled(reason);
    }

    /** Why this JVM cannot run privileged tests, or null when it can. */
    public static String missingPrivilege() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "this is " + System.getProperty("os.name");
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    return (caps & (1L << CAP_SYS_ADMIN)) != 0 ? null
                            : "the effective capabilities (" + line.substring(7).strip() + ") lack CAP_SYS_ADMIN";
                }
            }
            return "/proc/self/status has no CapEff line";
        } catch (IOException e) {
            return "cannot read /proc/self/status: " + e;
        }
    }
}
