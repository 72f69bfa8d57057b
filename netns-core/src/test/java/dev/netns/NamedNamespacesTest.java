package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

@RequiresPrivileges
class NamedNamespacesTest {

    private static final Path RUN_DIR = Path.of("/run/netns");

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @Test
    void aNamespaceMadeByIpNetnsAddIsFoundListedAndEqualToItsFile() {
        String name = namespaces.ipNetnsAdd();
        assertThat(Netns.listNamed()).contains(name);
        try (NsHandle byName = Netns.fromName(name); NsHandle byPath = Netns.fromPath(RUN_DIR.resolve(name).toString());
                NsHandle host = Netns.get()) {
            assertThat(byName.equal(byPath)).isTrue();
            assertThat(byName.equal(host)).isFalse();
            assertThat(Netns.namesOf(byName)).containsExactly(name);
            assertThat(Netns.openHandles()).anySatisfy(info -> assertThat(info.source()).isEqualTo("name:" + name));
        }
    }

    @Test
    void aNamespaceMadeByNewNamedIsUsableByIpAndGoneAfterDeleteNamed() throws Exception {
        String name = namespaces.newName();
        try (NsHandle host = Netns.get(); NsHandle created = Netns.newNamed(name)) {
            assertThat(created.equal(host)).isFalse();
            try (NsHandle after = Netns.get()) {
                assertThat(after.equal(host)).as("newNamed leaves the calling thread where it was").isTrue();
            }
            assertThat(Commands.check("ip", "netns", "list")).contains(name);
            String links = Commands.check("ip", "netns", "exec", name, "ip", "-o", "link");
            assertThat(links.lines()).hasSize(1).first().asString().contains("lo:");
            try (NsHandle byName = Netns.fromName(name)) {
                assertThat(byName.equal(created)).isTrue();
            }
        }
        Netns.deleteNamed(name);
        assertThat(RUN_DIR.resolve(name)).doesNotExist();
        assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(RUN_DIR.resolve(name) + " ");
        assertThat(Commands.check("ip", "netns", "list")).doesNotContain(name);
        assertThat(Netns.listNamed()).doesNotContain(name);
    }

    @Test
    void deleteNamedRemovesAStaleUnmountedFile() throws IOException {
        String name = namespaces.newName();
        Files.createDirectories(RUN_DIR);
        Files.createFile(RUN_DIR.resolve(name));
        assertThatThrownBy(() -> Netns.fromName(name)).isInstanceOf(NetnsException.class)
                .hasMessageContaining("not a namespace file");
        Netns.deleteNamed(name);
        assertThat(RUN_DIR.resolve(name)).doesNotExist();
    }

    @Test
    void deleteNamedOfAMissingNameIsNotFound() {
        String name = namespaces.newName();
        assertThatThrownBy(() -> Netns.deleteNamed(name)).isInstanceOf(NamespaceNotFoundException.class)
                .hasMessageContaining(name);
        assertThatThrownBy(() -> Netns.fromName(name)).isInstanceOf(NamespaceNotFoundException.class)
                .hasMessageContaining(name);
    }

    @Test
    void newNamedOfATakenNameFailsAndLeavesTheExistingNamespaceIntact() {
        String name = namespaces.ipNetnsAdd();
        Commands.check("ip", "-n", name, "link", "add", "nt-veth0", "type", "veth", "peer", "name", "nt-veth1");
        try (NsHandle before = Netns.fromName(name)) {
            assertThatThrownBy(() -> Netns.newNamed(name)).isInstanceOf(NamespaceExistsException.class)
                    .hasMessageContaining(name).hasMessageContaining("EEXIST");
            try (NsHandle after = Netns.fromName(name)) {
                assertThat(after.equal(before)).isTrue();
            }
            assertThat(Commands.check("ip", "-n", name, "-o", "link")).contains("nt-veth0");
        }
    }

    @Test
    void concurrentCreatesAndDeletesKeepTheRunDirConsistent() throws Exception {
        List<String> names = Stream.generate(namespaces::newName).limit(16).toList();
        names.parallelStream().forEach(name -> Netns.newNamed(name).close());
        assertThat(Netns.listNamed()).containsAll(names);
        for (String name : names) {
            assertThat(Commands.check("ip", "netns", "exec", name, "true")).isEmpty();
        }
        names.parallelStream().forEach(Netns::deleteNamed);
        assertThat(Netns.listNamed()).doesNotContainAnyElementsOf(names);
    }

    static Stream<String> badNames() {
        return Stream.of("", ".", "..", "a/b", "../../etc/nt-x", "/etc/nt-x", "nt-\0x", "n".repeat(256));
    }

    @ParameterizedTest
    @MethodSource("badNames")
    void badNamesAreRefusedAndNothingIsCreatedMountedOrUnmounted(String bad) throws IOException {
        List<String> before = namesNotFromOtherTests();
        List<String> mountsBefore = mountsNotFromOtherTests();
        assertThatThrownBy(() -> Netns.newNamed(bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid namespace name");
        assertThatThrownBy(() -> Netns.deleteNamed(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Netns.fromName(bad)).isInstanceOf(IllegalArgumentException.class);
        assertThat(namesNotFromOtherTests()).isEqualTo(before);
        assertThat(mountsNotFromOtherTests()).isEqualTo(mountsBefore);
        assertThat(Path.of("/etc/nt-x")).doesNotExist();
        assertThat(Fds.targets()).noneMatch(target -> target.startsWith("/run/netns") || target.startsWith("/etc/nt-"));
    }

    /**
     * Names and mounts of other test runs come and go meanwhile: their names start with {@code nt-}
     * ({@code nt-} plus 10 hex digits, {@code nt-bench-...}), they mount in the run dirs and under
     * /tmp, and their containers under Docker's folders. A bad name this test tried would show
     * elsewhere ({@code /etc/nt-x}).
     */
    private static final java.util.regex.Pattern OTHER_TESTS = java.util.regex.Pattern.compile(
            " (/var)?/run/netns/nt-| /tmp/nt-| /var/lib/docker/| (/var)?/run/docker/");

    private static List<String> namesNotFromOtherTests() {
        return Netns.listNamed().stream().filter(name -> !name.startsWith("nt-")).toList();
    }

    private static List<String> mountsNotFromOtherTests() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> !OTHER_TESTS.matcher(line).find()).toList();
    }

    @Test
    void theRunDirCanBeConfigured() throws IOException {
        Path dir = Files.createTempDirectory("nt-rundir");
        String name = namespaces.newName();
        Path previous = Netns.runDirectory();
        Netns.setRunDirectory(dir);
        try {
            Netns.newNamed(name).close();
            assertThat(dir.resolve(name)).exists();
            assertThat(RUN_DIR.resolve(name)).doesNotExist();
            assertThat(Netns.listNamed()).containsExactly(name);
            Netns.deleteNamed(name);
            assertThat(dir.resolve(name)).doesNotExist();
        } finally {
            Netns.setRunDirectory(previous);
            Commands.run(List.of("umount", "-l", dir.toString()));
            Files.deleteIfExists(dir);
        }
        assertThatThrownBy(() -> Netns.setRunDirectory(Path.of("relative"))).isInstanceOf(IllegalArgumentException.class);
    }
}
