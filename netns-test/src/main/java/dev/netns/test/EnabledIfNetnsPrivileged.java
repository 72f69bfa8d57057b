package dev.netns.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class or method only on Linux with CAP_SYS_ADMIN (what creating, deleting and
 * entering network namespaces needs); elsewhere it is skipped with the reason. With the system
 * property {@value NetnsPrivilegeCondition#REQUIRE_PROPERTY}{@code =true} (a CI that must run every
 * test) the skip becomes a failure instead.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@ExtendWith(NetnsPrivilegeCondition.class)
public @interface EnabledIfNetnsPrivileged {
}
