package dev.netns.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares that a test class leaves namespace handles open on purpose (say, to show the leak
 * detector closing them), so {@link LeakCheck} does not count them against it.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
public @interface LeavesOpenHandles {

    /** Why, for the reader. */
    String value();
}
