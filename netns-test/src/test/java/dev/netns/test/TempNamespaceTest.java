package dev.netns.test;

import static dev.netns.test.NetnsAssertions.assertNoLeakedHandles;
import static dev.netns.test.NetnsAssertions.assertNoStrayThreads;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NetworkInterfaceInfo;
import dev.netns.NsHandle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A user's test: each way to ask for a temporary namespace. */
@EnabledIfNetnsPrivileged
class TempNamespaceTest {

    @TempNamespace
    static String sharedByTheClass;

    @TempNamespace
    String perTest;

    @TempNamespace(prefix = "nt-handle-")
    NsHandle perTestHandle;

    private static final NamespaceTemplate template = new NamespaceTemplate();

    @AfterAll
    static void closeExecutors() {
        template.executors().close();
    }

    @Test
    void parametersGetFreshNamedNamespaces(@TempNamespace String blue, @TempNamespace NsHandle green) {
        assertThat(Netns.listNamed()).contains(blue);
        assertThat(blue).startsWith("nt-").hasSize(13);
        assertThat(green.isOpen()).isTrue();
        assertThat(Netns.namesOf(green)).hasSize(1).allMatch(name -> name.startsWith("nt-"));
        try (NsHandle byName = Netns.fromName(blue)) {
            assertThat(byName.equal(green)).isFalse();
        }
        assertThat(template.interfaces(blue)).extracting(NetworkInterfaceInfo::name).containsExactly("lo");
        assertNoStrayThreads();
    }

    @Test
    void fieldsGetFreshNamedNamespacesForEachTestAndStaticOnesForTheClass() {
        assertThat(Netns.listNamed()).contains(sharedByTheClass, perTest);
        assertThat(Netns.namesOf(perTestHandle)).singleElement().asString().startsWith("nt-handle-");
        assertThat(perTest).isNotEqualTo(sharedByTheClass);
    }

    @Test
    void codeThatClosesItsHandlesPassesTheLeakCheck(@TempNamespace String name) throws Throwable {
        assertNoLeakedHandles(() -> {
            try (NsHandle ns = Netns.fromName(name)) {
                assertThat(ns.isOpen()).isTrue();
            }
            template.execute(name, ns -> null); // the executor's own handle does not count
        });
    }
}
