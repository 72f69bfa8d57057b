package dev.netns.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.netns.Netns;
import dev.netns.NsHandle;
import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineTestKit;

/** {@link TempNamespace} in nested classes, parameterized tests and around an {@code @AfterEach} that throws. */
@EnabledIfNetnsPrivileged
class NetnsExtensionNestingTest {

    static final List<String> SEEN = new CopyOnWriteArrayList<>();

    static class Outer {

        @TempNamespace
        static String forTheOuterClass;

        @TempNamespace
        String forTheOuterTest;

        @AfterEach
        void throwsAfterwards() {
            throw new IllegalStateException("on purpose, after the test");
        }

        @ParameterizedTest
        @ValueSource(ints = {1, 2, 3})
        void parameterized(int round, @TempNamespace NsHandle handle) {
            SEEN.add(forTheOuterClass);
            SEEN.add(forTheOuterTest);
            SEEN.addAll(Netns.namesOf(handle));
        }

        @Nested
        class Inner {

            @TempNamespace
            static String forTheInnerClass;

            @TempNamespace
            String forTheInnerTest;

            @Test
            void inner(@TempNamespace String parameter) {
                SEEN.add(forTheOuterClass);
                SEEN.add(forTheOuterTest);
                SEEN.add(forTheInnerClass);
                SEEN.add(forTheInnerTest);
                SEEN.add(parameter);
            }
        }
    }

    @Test
    void everyNamespaceIsFreshAndDeletedThoughAfterEachThrows() {
        List<String> handlesBefore = Netns.openHandles().stream().map(handle -> handle.source()).toList();
        SEEN.clear();
        EngineTestKit.engine("junit-jupiter").selectors(selectClass(Outer.class)).execute().testEvents()
                .assertStatistics(stats -> stats.started(4).failed(4));
        // 3 rounds: the outer class's, a fresh one for the test and for the parameter; the inner test: 5
        assertThat(SEEN).hasSize(3 * 3 + 5).doesNotContainNull();
        assertThat(SEEN.stream().distinct().count()).as("distinct names").isEqualTo(1 + 3 * 2 + 4);
        for (String name : SEEN) {
            assertThat(Files.exists(Netns.runDirectory().resolve(name))).as(name).isFalse();
        }
        assertThat(Netns.openHandles().stream().map(handle -> handle.source()).toList()).isEqualTo(handlesBefore);
    }
}
