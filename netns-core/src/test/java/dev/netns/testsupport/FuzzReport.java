package dev.netns.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Prints a {@link Figures} line after each jqwik property: the tries jqwik really ran, what the
 * test counted (when its instance is {@link Counted}), the losses, the outcome and the time taken. Add it with
 * {@code @AddLifecycleHook(FuzzReport.class)}.
 */
public final class FuzzReport implements AroundPropertyHook {

    /** A property container that counts the outcomes of its tries (jqwik makes one instance per property). */
    public interface Counted {
        /** Outcome counts by name, in the order they should be printed. */
        Map<String, Long> counts();
    }

    /** Applies to every property of the class the hook is added to. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    /** Outside every other hook, {@code @BeforeProperty} and {@code @AfterProperty} methods included. */
    @Override
    public int aroundPropertyProximity() {
        return -100;
    }

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        long start = System.nanoTime();
        PropertyExecutionResult result = property.execute();
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("tries", result.countTries());
        values.put("checks", result.countChecks());
        if (context.testInstance() instanceof Counted counted) {
            values.putAll(counted.counts());
        }
        // A hang, an escape or any unexpected outcome fails the property: losses are zero exactly when it passed.
        values.put("losses", result.status() == PropertyExecutionResult.Status.SUCCESSFUL ? "0" : "1+");
        values.put("status", result.status());
        values.put("seconds", String.format("%.1f", (System.nanoTime() - start) / 1e9));
        Figures.print("fuzz " + context.containerClass().getSimpleName() + "." + context.targetMethod().getName(), values);
        return result;
    }
}
