package dev.netns.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A fresh named network namespace (like {@code ip netns add}) for a test: on a test method
 * parameter, or a field, of type {@code String} (its name) or {@code dev.netns.NsHandle} (an open
 * handle to it). It is deleted after the test (or, for a static field, after the test class), pass
 * or fail, and a handle given out is closed then. Names are unique per run ({@link #prefix()} and
 * ten random hex digits), so tests running at the same time on one machine do not collide.
 *
 * <pre>{@code
 * @EnabledIfNetnsPrivileged
 * class BlueTest {
 *     @Test
 *     void seesOnlyLoopback(@TempNamespace String blue) {
 *         assertEquals(List.of("lo"), new NamespaceTemplate().interfaces(blue).stream()
 *                 .map(NetworkInterfaceInfo::name).toList());
 *     }
 * }
 * }</pre>
 *
 * Creating a namespace needs CAP_SYS_ADMIN: put {@link EnabledIfNetnsPrivileged} on the test too,
 * so that it is skipped (with the reason) rather than failed where the privilege is missing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.PARAMETER, ElementType.FIELD })
@ExtendWith(NetnsExtension.class)
public @interface TempNamespace {

    /** How the namespace's name starts; ten random hex digits follow. */
    String prefix() default "nt-";
}
