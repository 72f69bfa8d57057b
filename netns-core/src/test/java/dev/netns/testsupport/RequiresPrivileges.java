package dev.netns.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test needs Linux and CAP_SYS_ADMIN. Without them it is skipped with the reason printed,
 * unless {@code -Dnetns.test.require-privileges=true}, which turns the skip into a failure.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(PrivilegesCondition.class)
public @interface RequiresPrivileges {
}
