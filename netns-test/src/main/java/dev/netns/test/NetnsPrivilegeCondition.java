package dev.netns.test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The condition behind {@link EnabledIfNetnsPrivileged}: enabled on Linux with CAP_SYS_ADMIN in the
 * effective set; otherwise disabled with the reason, or a failure when
 * {@value #REQUIRE_PROPERTY}{@code =true}.
 */
public final class NetnsPrivilegeCondition implements ExecutionCondition {

    /** System property that turns every privilege skip into a failure. */
    public static final String REQUIRE_PROPERTY = "netns.test.require-privileges";

    private static final int CAP_SYS_ADMIN = 21;

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return evaluate(context.getDisplayName());
    }

    /**
     * Enabled with the privilege; else disabled with a reason naming {@code what} needs it, or, under
     * {@value #REQUIRE_PROPERTY}{@code =true}, an {@link IllegalStateException}.
     */
    static ConditionEvaluationResult evaluate(String what) {
        String missing = missingPrivilege();
        if (missing == null) {
            return ConditionEvaluationResult.enabled("running with CAP_SYS_ADMIN on Linux");
        }
        String reason = what + " needs CAP_SYS_ADMIN on Linux (run the tests as root): " + missing;
        if (Boolean.getBoolean(REQUIRE_PROPERTY)) {
            throw new IllegalStateException(reason + "; -D" + REQUIRE_PROPERTY + "=true forbids skipping it");
        }
        return ConditionEvaluationResult.disabled(reason);
    }

    /** Why this JVM cannot create network namespaces, or null when it can. */
    public static @Nullable String missingPrivilege() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "this is " + System.getProperty("os.name");
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    String caps = line.substring("CapEff:".length()).strip();
                    return (Long.parseUnsignedLong(caps, 16) & (1L << CAP_SYS_ADMIN)) != 0 ? null
                            : "the effective capabilities (" + caps + ") lack CAP_SYS_ADMIN";
                }
            }
            return "/proc/self/status has no CapEff line";
        } catch (IOException e) {
            return "cannot read /proc/self/status: " + e;
        }
    }
}
