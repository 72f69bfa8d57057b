package dev.netns.test;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.Events;

/**
 * Run in a JVM without CAP_SYS_ADMIN by {@link PrivilegeTest}: runs the two fixtures below through
 * the JUnit engine and prints, one line each, how every test ended and why.
 */
public final class PrivilegeProbe {

    private PrivilegeProbe() {
    }

    /** A test that asks for the privilege. */
    public static class Guarded {

        @Test
        @EnabledIfNetnsPrivileged
        void guarded() {
        }
    }

    /** A test that only asks for a namespace. */
    public static class Unguarded {

        @Test
        void unguarded(@TempNamespace String name) {
        }
    }

    public static void main(String[] args) {
        for (Class<?> fixture : new Class<?>[] {Guarded.class, Unguarded.class}) {
            Events events = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture)).execute().testEvents();
            for (Event event : events.skipped().list()) {
                System.out.println("skipped " + event.getTestDescriptor().getDisplayName() + ": "
                        + event.getPayload(String.class).orElse(""));
            }
            events.aborted().stream().forEach(event -> System.out.println("aborted " + event.getTestDescriptor().getDisplayName()
                    + ": " + event.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                            .getThrowable().map(Throwable::getMessage).orElse("")));
            events.failed().stream().forEach(event -> System.out.println("failed " + event.getTestDescriptor().getDisplayName()
                    + ": " + event.getPayload(org.junit.platform.engine.TestExecutionResult.class).orElseThrow()
                            .getThrowable().map(Throwable::getMessage).orElse("")));
            events.succeeded().stream().forEach(event -> System.out.println("succeeded " + event.getTestDescriptor().getDisplayName()));
        }
    }
}
