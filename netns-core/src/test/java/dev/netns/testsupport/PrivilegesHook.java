package dev.netns.testsupport;

import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * {@link RequiresPrivileges} for jqwik properties, which do not run Jupiter extensions: add it with
 * {@code @AddLifecycleHook(PrivilegesHook.class)}. Skips without CAP_SYS_ADMIN, with the reason
 * printed, unless {@code -Dnetns.test.require-privileges=true}, which makes the skip a failure.
 */
public final class PrivilegesHook implements SkipExecutionHook {

    /** Applies to every property of the class the hook is added to. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        String missing = PrivilegesCondition.missingPrivilege();
        if (missing == null) {
            return SkipResult.doNotSkip();
        }
        String reason = context.label() + " needs CAP_SYS_ADMIN on Linux (run the tests as root): " + missing;
        if (Boolean.getBoolean(PrivilegesCondition.REQUIRE_PROPERTY)) {
            throw new IllegalStateException(reason + "; -D" + PrivilegesCondition.REQUIRE_PROPERTY
                    + "=true forbids skipping it");
        }
        System.err.println("SKIPPED " + reason);
        return SkipResult.skip(reason);
    }
}
