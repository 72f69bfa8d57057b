package dev.netns.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.netns.Netns;
import dev.netns.NetnsRuntime;
import dev.netns.NsHandle;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

/** What the extension promises, checked by running small test classes through the JUnit engine. */
@EnabledIfNetnsPrivileged
class NetnsExtensionBehaviourTest {

    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    private static Events run(Class<?> testClass) {
        SEEN.clear();
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass)).execute().testEvents();
    }

    /** Fails on purpose after creating namespaces every way. */
    static class FailingTests {

        @TempNamespace
        static String forTheClass;

        @TempNamespace
        NsHandle forTheTest;

        @Test
        void fails(@TempNamespace String parameter) {
            SEEN.add(forTheClass);
            SEEN.addAll(Netns.namesOf(forTheTest));
            SEEN.add(parameter);
            throw new AssertionError("on purpose");
        }
    }

    @Test
    void namespacesAreDeletedAfterAFailingTestAndItsHandlesClosed() {
        List<String> handlesBefore = Netns.openHandles().stream().map(handle -> handle.source()).toList();
        run(FailingTests.class).assertStatistics(stats -> stats.failed(1));
        assertThat(SEEN).hasSize(3).doesNotHaveDuplicates();
        assertThat(Netns.listNamed()).doesNotContainAnyElementsOf(SEEN);
        for (String name : SEEN) {
            assertThat(Files.exists(Netns.runDirectory().resolve(name))).as(name).isFalse();
        }
        assertThat(Netns.openHandles().stream().map(handle -> handle.source()).toList()).isEqualTo(handlesBefore);
    }

    /** Registered explicitly as well as through the annotation: one namespace per field, not two. */
    @ExtendWith(NetnsExtension.class)
    static class ExplicitlyRegistered {

        @TempNamespace
        String name;

        @Test
        void once() {
            SEEN.add(name);
            SEEN.addAll(Netns.listNamed().stream().filter(named -> named.equals(name)).toList());
        }
    }

    @Test
    void anExplicitlyRegisteredExtensionMakesOneNamespacePerField() {
        run(ExplicitlyRegistered.class).assertStatistics(stats -> stats.succeeded(1));
        assertThat(SEEN).hasSize(2).containsOnly(SEEN.get(0));
        assertThat(Netns.listNamed()).doesNotContain(SEEN.get(0));
    }

    static class WrongType {

        @Test
        void wrongType(@TempNamespace Integer namespace) {
        }
    }

    static class FinalField {

        @TempNamespace
        final String name = "fixed";

        @Test
        void finalField() {
        }
    }

    @Test
    void aWrongTypeOrAFinalFieldIsAConfigurationError() {
        run(WrongType.class).assertThatEvents().haveExactly(1, finishedWithFailure(
                instanceOf(ParameterResolutionException.class),
                message(text -> text.contains("must be a String (the name) or an NsHandle, not java.lang.Integer"))));
        run(FinalField.class).assertThatEvents().haveExactly(1, finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message(text -> text.contains("must not be final"))));
    }

    @Test
    void assertNoStrayThreadsNamesAThreadLeftInANamespace(@TempNamespace NsHandle elsewhere) throws Exception {
        NetnsAssertions.assertNoStrayThreads();
        CountDownLatch moved = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread stray = new Thread(() -> {
            try (NsHandle home = Netns.get()) {
                Netns.set(elsewhere);
                moved.countDown();
                release.await();
                Netns.set(home);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "nt-stray");
        stray.start();
        try {
            moved.await();
            assertThatThrownBy(NetnsAssertions::assertNoStrayThreads).isInstanceOf(AssertionFailedError.class)
                    .hasMessageContaining("nt-stray").hasMessageContaining(String.valueOf(elsewhere.id()));
        } finally {
            release.countDown();
            stray.join();
        }
        NetnsAssertions.assertNoStrayThreads();
    }

    @Test
    void assertNoLeakedHandlesNamesAHandleLeftOpen(@TempNamespace String name) {
        NsHandle[] leaked = new NsHandle[1];
        try {
            assertThatThrownBy(() -> NetnsAssertions.assertNoLeakedHandles(() -> leaked[0] = Netns.fromName(name)))
                    .isInstanceOf(AssertionFailedError.class).hasMessageContaining("1 handle(s) left open")
                    .hasMessageContaining("name:" + name);
        } finally {
            leaked[0].close();
        }
    }

    @Test
    void assertNoLeakedHandlesOfARuntimeLooksAtThatRuntimesHandles() throws Throwable {
        NsHandle[] leaked = new NsHandle[1];
        try (NetnsRuntime runtime = NetnsRuntime.builder().build()) {
            NetnsAssertions.assertNoLeakedHandles(() -> leaked[0] = runtime.open("/proc/self/ns/net", "test:elsewhere"));
            leaked[0].close();
            assertThatThrownBy(() -> NetnsAssertions.assertNoLeakedHandles(runtime,
                    () -> leaked[0] = runtime.open("/proc/self/ns/net", "test:own")))
                    .isInstanceOf(AssertionFailedError.class).hasMessageContaining("1 handle(s) left open")
                    .hasMessageContaining("test:own");
        } finally {
            leaked[0].close();
        }
    }
}
