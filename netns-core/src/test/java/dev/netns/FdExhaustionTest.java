package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.internal.Errno;
import dev.netns.internal.Syscalls;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.Figures;
import dev.netns.testsupport.FileLimit;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The process out of file descriptors: this JVM's own soft {@code RLIMIT_NOFILE} is lowered to just
 * above the fds it has, the rest are filled with {@code /dev/null}, and every operation that needs
 * an fd must fail with a {@link NetnsException} naming EMFILE, leave no fd, no executor and no
 * named namespace behind, and work again once fds are free. The limit is restored in any case.
 */
@RequiresPrivileges
class FdExhaustionTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void operationsFailWithEmfileLeaveNothingBehindAndWorkAgainOnceFdsAreFree() throws Exception {
        String existing = namespaces.ipNetnsAdd();
        String fresh = namespaces.newName();
        warmUp(existing, namespaces.newName());
        List<String> fdsBefore = Fds.targets();
        long softBefore = FileLimit.soft();

        Map<String, Object> exhausted = new LinkedHashMap<>();
        Map<String, Object> oneFree = new LinkedHashMap<>();
        List<Integer> fillers = new ArrayList<>(4096);
        int filled;
        int recovered = 0;
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            try {
                FileLimit.setSoft(FileLimit.highestFd() + 32);
                FileLimit.fillFdTable(fillers);
                filled = fillers.size();
                // Nothing below may load a class from a directory (that needs an fd): outcomes are only recorded here.
                run(exhausted, "get", Netns::get);
                run(exhausted, "fromName", () -> Netns.fromName(existing));
                run(exhausted, "newNamed", () -> Netns.newNamed(fresh));
                run(exhausted, "template.execute", () -> template.execute(existing, ns -> "ran"));
                run(exhausted, "template.create", template::create);
                run(exhausted, "interfaces", Netns::interfaces);
                run(exhausted, "listNamed", Netns::listNamed);
                // One fd free: resolving a name takes more than one (the run dir, the entry, the handle).
                Syscalls.closeQuietly(fillers.remove(fillers.size() - 1));
                run(oneFree, "template.execute", () -> template.execute(existing, ns -> "ran"));
                run(oneFree, "executors", executors::executors);
            } finally {
                fillers.forEach(Syscalls::closeQuietly);
                FileLimit.setSoft(softBefore);
            }

            for (String operation : List.of("get", "fromName", "newNamed", "template.execute", "template.create", "interfaces")) {
                assertThat(exhausted.get(operation)).as(operation).isInstanceOfSatisfying(NetnsException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("EMFILE");
                    assertThat(e.getMessage()).contains("EMFILE").contains("too many open files");
                });
            }
            assertThat(exhausted.get("newNamed")).asString().contains(fresh);
            assertThat(exhausted.get("listNamed")).isInstanceOfSatisfying(NetnsException.class,
                    e -> assertThat(e.getMessage()).contains("Too many open files"));
            assertThat(oneFree.get("template.execute")).isInstanceOfSatisfying(NetnsException.class, e -> {
                assertThat(e.errnoName()).isEqualTo("EMFILE");
                assertThat(e.getMessage()).contains(existing);
            });
            assertThat(oneFree.get("executors")).as("no executor half-made").isEqualTo(List.of());
            assertThat(Path.of("/run/netns", fresh)).as("no named namespace half-made").doesNotExist();

            // Everything works again.
            try (NsHandle current = Netns.get(); NsHandle byName = Netns.fromName(existing)) {
                assertThat(template.<NamespaceId>execute(existing, ns -> NamespaceTemplateTest.here())).isEqualTo(byName.id());
                assertThat(current.equal(byName)).isFalse();
                recovered += 3;
            }
            Netns.newNamed(fresh).close();
            Netns.deleteNamed(fresh);
            try (NsHandle created = template.create()) {
                assertThat(template.interfaces(created)).extracting(NetworkInterfaceInfo::name).containsExactly("lo");
                recovered += 4;
            }
            assertThat(Netns.listNamed()).contains(existing).doesNotContain(fresh);
            recovered++;
        }
        assertThat(FileLimit.soft()).isEqualTo(softBefore);
        List<String> leaked = Fds.addedSince(fdsBefore);
        long clearFailures = Stream.concat(exhausted.values().stream(), oneFree.values().stream())
                .filter(NetnsException.class::isInstance).count();
        Figures.print("fault fd-limit-emfile", "injected", 2, "fds-filled", filled, "clear-failures", clearFailures,
                "recovered", recovered, "half-created", 0, "leaked-fds", leaked.size());
        assertThat(leaked).as("fds left open").isEmpty();
    }

    /** Runs every operation once, and a failure of each kind, so that no class is loaded while fds are out. */
    private static void warmUp(String existing, String scratch) {
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            Netns.get().close();
            Netns.fromName(existing).close();
            Netns.newNamed(scratch).close();
            Netns.deleteNamed(scratch);
            template.execute(existing, ns -> "ran");
            template.create().close();
            Netns.interfaces();
            Netns.listNamed();
            executors.executors();
        }
        NetnsException failure = Errno.failure("open", "/dev/null", Errno.EMFILE, "warm-up");
        assertThat(failure.errnoName()).isEqualTo("EMFILE");
        run(new LinkedHashMap<>(), "warm-up", () -> Netns.fromPath("/nonexistent/nt-warm-up"));
    }

    private static void run(Map<String, Object> outcomes, String operation, Callable<?> call) {
        try {
            Object result = call.call();
            if (result instanceof NsHandle handle) {
                handle.close();
            }
            outcomes.put(operation, result);
        } catch (Exception e) {
            outcomes.put(operation, e);
        }
    }
}
