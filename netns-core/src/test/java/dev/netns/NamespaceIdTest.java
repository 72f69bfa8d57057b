package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.OnThread;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Namespace ids against {@code ip netns set} and {@code ip netns list-id}. Every id is set inside
 * a namespace the test made ({@code ip -n FROM}), never in the host namespace that other tests on
 * this machine share.
 */
@RequiresPrivileges
class NamespaceIdTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private final NamespaceTemplate template = new NamespaceTemplate();

    @AfterEach
    void closeExecutors() {
        template.executors().close();
    }

    @Test
    void anIdSetByIpNetnsSetIsReadInTheNamespaceThatKnowsIt() throws Exception {
        String from = namespaces.ipNetnsAdd();
        String of = namespaces.ipNetnsAdd();
        Commands.check("ip", "-n", from, "netns", "set", of, "42");
        try (NsHandle fromNs = Netns.fromName(from); NsHandle ofNs = Netns.fromName(of); NsHandle home = Netns.get()) {
            OptionalInt id = OnThread.call(() -> {
                Netns.set(fromNs);
                try {
                    return Netns.nsid(ofNs);
                } finally {
                    Netns.set(home);
                }
            });
            assertThat(id).hasValue(42);
            assertThat(Netns.nsid(ofNs)).as("the host knows it by no id").isEmpty();
        }
        assertThat(template.nsid(from, of)).hasValue(42);
        assertThat(template.nsid(of, from)).isEmpty();
    }

    @Test
    void aSnapshotListsTheIdsANamespaceKnowsWithoutPinningOrKeepingAnything() {
        String from = namespaces.ipNetnsAdd();
        String of = namespaces.ipNetnsAdd();
        String unknown = namespaces.ipNetnsAdd();
        Commands.check("ip", "-n", from, "netns", "set", of, "42");
        List<String> fdsBefore = Fds.targets();
        try (NsHandle fromNs = Netns.fromName(from)) {
            assertThat(NamespaceIdSnapshots.of(fromNs)).containsEntry(of, 42).doesNotContainKeys(unknown, from,
                    NamespaceIdSnapshots.HOST);
            assertThat(template.executors().executors()).isEmpty();
        }
        assertThat(Fds.addedSince(fdsBefore)).isEmpty();
        assertThat(Netns.threads()).noneMatch(ThreadNamespace::stray);
    }

    @Test
    void anIdSetHereIsListedByIpNetnsListId() {
        String from = namespaces.ipNetnsAdd();
        String of = namespaces.ipNetnsAdd();
        try (NsHandle ofNs = Netns.fromName(of)) {
            template.execute(from, ns -> {
                Netns.setNsid(ofNs, 43);
                return null;
            });
        }
        assertThat(Commands.check("ip", "-n", from, "netns", "list-id"))
                .contains("nsid 43 (iproute2 netns name: " + of + ")");
        assertThat(template.nsid(from, "name:" + of)).hasValue(43);
    }

    @Test
    void anUnassignedIdIsEmptyAndAskingAssignsNone() {
        String from = namespaces.ipNetnsAdd();
        String of = namespaces.ipNetnsAdd();
        assertThat(template.nsid(from, of)).isEmpty();
        assertThat(template.nsid(from, of)).isEmpty();
        assertThat(Commands.check("ip", "-n", from, "netns", "list-id")).doesNotContain(of);
    }

    @Test
    void aSecondIdOrATakenIdIsRefusedWithATypedException() {
        String from = namespaces.ipNetnsAdd();
        String of = namespaces.ipNetnsAdd();
        String other = namespaces.ipNetnsAdd();
        Commands.check("ip", "-n", from, "netns", "set", of, "7");
        try (NsHandle ofNs = Netns.fromName(of); NsHandle otherNs = Netns.fromName(other)) {
            assertThatThrownBy(() -> template.execute(from, ns -> {
                Netns.setNsid(ofNs, 8);
                return null;
            })).isInstanceOf(NamespaceExistsException.class).hasMessageContaining("RTM_NEWNSID(nsid=8, fd=")
                    .hasMessageContaining("EEXIST");
            assertThatThrownBy(() -> template.execute(from, ns -> {
                Netns.setNsid(otherNs, 7);
                return null;
            })).isInstanceOf(NamespaceExistsException.class).satisfies(e -> assertThat(((NetnsException) e).errnoName())
                    .isEqualTo("EEXIST"));
        }
        assertThat(template.nsid(from, of)).hasValue(7);
        assertThat(template.nsid(from, other)).isEmpty();
    }

    @Test
    void badHandlesAndIdsAreRefusedBeforeAnyRequest() throws Exception {
        String of = namespaces.ipNetnsAdd();
        NsHandle closed = Netns.fromName(of);
        closed.close();
        assertThatThrownBy(() -> Netns.nsid(closed)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> Netns.nsid(Netns.none())).isInstanceOf(IllegalArgumentException.class);
        try (NsHandle uts = Netns.get(NamespaceType.UTS); NsHandle ofNs = Netns.fromName(of)) {
            assertThatThrownBy(() -> Netns.nsid(uts)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uts");
            assertThatThrownBy(() -> Netns.setNsid(ofNs, -1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("-1");
        }
        assertThatThrownBy(() -> template.nsid("nt-missing-" + System.nanoTime(), of))
                .isInstanceOf(NamespaceNotFoundException.class);
        assertThatThrownBy(() -> template.nsid(of, "nt-missing-" + System.nanoTime()))
                .isInstanceOf(NamespaceNotFoundException.class);
    }

    @Test
    void askingFromAnotherNamespaceLeavesTheCallerWhereItWasAndNothingOpen() {
        String from = namespaces.ipNetnsAdd();
        String of = namespaces.ipNetnsAdd();
        template.nsid(from, of); // executors and JNA set up once
        List<String> fdsBefore = Fds.targets();
        NamespaceId callerBefore;
        try (NsHandle caller = Netns.get()) {
            callerBefore = caller.id();
        }
        for (int i = 0; i < 50; i++) {
            template.nsid(from, of);
        }
        try (NsHandle caller = Netns.get()) {
            assertThat(caller.id()).isEqualTo(callerBefore);
        }
        assertThat(Fds.addedSince(fdsBefore)).isEmpty();
        assertThat(Netns.threads()).noneMatch(ThreadNamespace::stray);
    }
}
