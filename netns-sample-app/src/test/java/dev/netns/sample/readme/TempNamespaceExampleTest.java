package dev.netns.sample.readme;

import static dev.netns.test.NetnsAssertions.assertNoStrayThreads;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamespaceTemplate;
import dev.netns.NetworkInterfaceInfo;
import dev.netns.NsHandle;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.test.TempNamespace;
import org.junit.jupiter.api.Test;

// tag::netns-test-example[]
@EnabledIfNetnsPrivileged                        // skipped, with the reason, without CAP_SYS_ADMIN
class TempNamespaceExampleTest {

    @TempNamespace                               // a fresh named namespace for each test, deleted after it
    String blue;

    @Test
    void aNewNamespaceHasOnlyLoopback(@TempNamespace NsHandle red) {
        NamespaceTemplate netns = new NamespaceTemplate();
        try {
            assertThat(netns.interfaces(blue)).extracting(NetworkInterfaceInfo::name).containsExactly("lo");
            assertThat(netns.interfaces(red)).extracting(NetworkInterfaceInfo::name).containsExactly("lo");
        } finally {
            netns.executors().close();
        }
        assertNoStrayThreads();                  // no thread of this JVM left in another namespace
    }
}
// end::netns-test-example[]
