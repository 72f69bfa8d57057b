package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.internal.Errno;
import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Inotify;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Named namespaces and references under attack: symbolic links in the run dir, names that are not
 * valid UTF-8, missing names, FIFOs and devices given as paths, and names that look like keywords.
 */
@RequiresPrivileges
class NamedNamespaceHardeningTest {

    private static final Path RUN_DIR = Path.of("/run/netns");

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    /** A unique name for a link in the run dir; never given to TestNamespaces, whose `ip netns delete` follows links. */
    private static String linkName() {
        return "nt-link-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    @Test
    void symlinkedEntriesAreRefusedLeftInPlaceAndNothingIsUnmounted() throws Exception {
        String target = namespaces.ipNetnsAdd();
        Path tmpfs = ChildJvm.worldReadableTempDir("nt-tmpfs-");
        Commands.check("mount", "-t", "tmpfs", "nt-tmpfs", tmpfs.toString());
        Map<String, Path> links = Map.of(linkName(), tmpfs, linkName(), RUN_DIR.resolve(target),
                linkName(), Path.of("/proc/1/ns/net"));
        List<Path> created = new ArrayList<>();
        NamespaceExecutors executors = new NamespaceExecutors();
        try {
            Netns.newNamed(namespaces.newName()).close(); // makes sure the run dir exists
            for (Map.Entry<String, Path> link : links.entrySet()) {
                created.add(Files.createSymbolicLink(RUN_DIR.resolve(link.getKey()), link.getValue()));
            }
            List<String> mountsBefore = mountsOf(tmpfs.toString(), RUN_DIR.resolve(target).toString());
            assertThat(mountsBefore).hasSize(2);
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);

            for (String link : links.keySet()) {
                assertThat(Netns.listNamed()).as("a link is listed, as ip netns list shows it").contains(link);
                assertThatThrownBy(() -> Netns.deleteNamed(link)).isInstanceOfSatisfying(NotANamespaceException.class, e -> {
                    assertThat(e.errnoName()).isEqualTo("ELOOP");
                    assertThat(e.getMessage()).contains(link).contains("symbolic link").contains("left untouched");
                });
                assertThatThrownBy(() -> Netns.fromName(link)).isInstanceOf(NotANamespaceException.class);
                assertThatThrownBy(() -> template.execute(link, ns -> ns.id())).isInstanceOf(NotANamespaceException.class);
                assertThat(Files.isSymbolicLink(RUN_DIR.resolve(link))).as("the link is left in place").isTrue();
            }
            assertThat(mountsOf(tmpfs.toString(), RUN_DIR.resolve(target).toString())).isEqualTo(mountsBefore);
            assertThat(Commands.run(List.of("ip", "netns", "exec", target, "true")).exitCode())
                    .as("the linked-to named namespace still works").isZero();
        } finally {
            executors.close();
            for (Path link : created) {
                Files.deleteIfExists(link); // never through ip netns delete, which follows the link
            }
            Commands.run(List.of("umount", tmpfs.toString()));
            Files.deleteIfExists(tmpfs);
        }
    }

    private static List<String> mountsOf(String... mountPoints) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> List.of(mountPoints).contains(line.split(" ")[4])).toList();
    }

    @Test
    void aNonUtf8NameFromIpNetnsAddIsListedEscapedOpenableAndDeletable() throws Exception {
        String plain = namespaces.ipNetnsAdd();
        String prefix = namespaces.newName() + "-";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes(prefix.getBytes(StandardCharsets.US_ASCII));
        bytes.writeBytes("\u00e9".getBytes(StandardCharsets.UTF_8)); // valid UTF-8: decoded
        bytes.writeBytes("\\x41".getBytes(StandardCharsets.US_ASCII)); // a literal escape-like text
        StringBuilder expected = new StringBuilder(prefix).append('\u00e9').append("\\x5cx41");
        for (int b = 0x80; bytes.size() < 83; b++) { // continuation bytes without a lead: not UTF-8
            bytes.write(b);
            expected.append(String.format("\\x%02x", b));
        }
        byte[] raw = bytes.toByteArray();
        assertThat(raw).hasSize(83);
        String printf = octal(raw);
        try {
            Commands.check("sh", "-c", "ip netns add \"$(printf \"$0\")\"", printf);
            String escaped = expected.toString();

            List<String> listed = Netns.listNamed();
            assertThat(listed).contains(escaped, plain);
            try (NsHandle handle = Netns.fromName(escaped); NamespaceExecutors executors = new NamespaceExecutors()) {
                String statId = Commands.check("sh", "-c", "stat -L -c %d:%i \"/run/netns/$(printf \"$0\")\"", printf).strip();
                assertThat(handle.id()).hasToString(statId);
                assertThat(Netns.namesOf(handle)).containsExactly(escaped);
                NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
                assertThat(template.<NamespaceId>execute(escaped, ns -> NamespaceTemplateTest.here())).isEqualTo(handle.id());
            }
            Netns.deleteNamed(escaped);
            assertThat(Commands.run(List.of("sh", "-c", "test -e \"/run/netns/$(printf \"$0\")\"", printf)).exitCode())
                    .as("the file is gone").isNotZero();
            assertThat(Netns.listNamed()).doesNotContain(escaped).contains(plain);
        } finally {
            Commands.run(List.of("sh", "-c", "ip netns del \"$(printf \"$0\")\" 2>/dev/null", printf));
        }
    }

    /** A printf format of octal escapes that prints exactly these bytes. */
    private static String octal(byte[] raw) {
        StringBuilder format = new StringBuilder();
        for (byte b : raw) {
            format.append(String.format("\\%03o", b & 0xff));
        }
        return format.toString();
    }

    @Test
    void aMissingNameIsNotFoundWithEnoentEverywhere() {
        String missing = namespaces.newName();
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            for (Runnable call : List.<Runnable>of(() -> Netns.fromName(missing), () -> Netns.deleteNamed(missing),
                    () -> template.execute(missing, ns -> ns), () -> template.deleteNamed(missing))) {
                assertThatThrownBy(call::run).isInstanceOfSatisfying(NamespaceNotFoundException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ENOENT);
                    assertThat(e.errnoName()).isEqualTo("ENOENT");
                    assertThat(e.getMessage()).contains(missing);
                });
            }
        }
    }

    @Test
    void aFifoGivenAsPathOrNameIsRefusedWithoutReleasingItsWriter() throws Exception {
        Path dir = ChildJvm.worldReadableTempDir("nt-fifo-");
        Path runDir = Files.createDirectory(dir.resolve("run"));
        Path fifo = dir.resolve("fifo");
        Commands.check("mkfifo", fifo.toString());
        Commands.check("mkfifo", runDir.resolve("nt-fifo").toString());
        Process writer = new ProcessBuilder("sh", "-c", "echo hello > \"$0\"; echo released", fifo.toString())
                .redirectErrorStream(true).start();
        Process nameWriter = new ProcessBuilder("sh", "-c", "echo hello > \"$0\"; echo released",
                runDir.resolve("nt-fifo").toString()).redirectErrorStream(true).start();
        Path previous = Netns.runDirectory();
        try {
            Thread.sleep(200); // the writers are blocked in open() until a reader comes
            assertThatThrownBy(() -> Netns.fromPath(fifo.toString())).isInstanceOfSatisfying(NotANamespaceException.class,
                    e -> assertThat(e.getMessage()).contains(fifo.toString()).contains("a FIFO").contains("not opened"));
            Netns.setRunDirectory(runDir);
            assertThatThrownBy(() -> Netns.fromName("nt-fifo")).isInstanceOf(NotANamespaceException.class);
            assertThatThrownBy(() -> Netns.deleteNamed("nt-fifo")).isInstanceOf(NotANamespaceException.class);
            assertThat(writer.waitFor(500, TimeUnit.MILLISECONDS)).as("the FIFO's writer is still blocked").isFalse();
            assertThat(nameWriter.isAlive()).as("the named FIFO's writer is still blocked").isTrue();
            assertThat(runDir.resolve("nt-fifo")).as("the FIFO is left in place").exists();
            // Now open it for real: the writer goes on, proving it was waiting for exactly that.
            for (Path each : List.of(fifo, runDir.resolve("nt-fifo"))) {
                try (InputStream in = Files.newInputStream(each)) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
                }
            }
            assertThat(writer.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(new String(writer.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("released\n");
        } finally {
            Netns.setRunDirectory(previous);
            writer.destroyForcibly().waitFor();
            nameWriter.destroyForcibly().waitFor();
            ChildJvm.deleteRecursively(dir);
        }
    }

    @Test
    void aDeviceGivenAsPathIsRefusedWithoutBeingOpened() throws Exception {
        assertThatThrownBy(() -> Netns.fromPath("/dev/zero")).isInstanceOfSatisfying(NotANamespaceException.class, e -> {
            assertThat(e.getMessage()).contains("/dev/zero").contains("a character device");
            assertThat(e.errnoName()).isEqualTo("EINVAL");
        });
        // A device node of the test's own (the same device as /dev/zero) shows every open of it.
        Path dir = ChildJvm.worldReadableTempDir("nt-device-");
        Path zero = dir.resolve("zero");
        Commands.check("mknod", zero.toString(), "c", "1", "5");
        try (Inotify opens = Inotify.watchOpens(zero)) {
            assertThatThrownBy(() -> Netns.fromPath(zero.toString())).isInstanceOf(NotANamespaceException.class);
            try (NamespaceExecutors executors = new NamespaceExecutors()) {
                NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
                assertThatThrownBy(() -> template.execute("path:" + zero, ns -> ns)).isInstanceOf(NotANamespaceException.class);
            }
            assertThat(opens.opens()).as("opens of the device").isZero();
            Files.newInputStream(zero).close();
            assertThat(opens.opens()).as("the watch sees a real open").isEqualTo(1);
        } finally {
            ChildJvm.deleteRecursively(dir);
        }
    }

    @Test
    void keywordsAreExactLowerCaseAndCurrentInAnyOtherCaseIsAName() throws Exception {
        Path dir = ChildJvm.worldReadableTempDir("nt-keywords-");
        Path runDir = dir.resolve("netns");
        Path previous = Netns.runDirectory();
        Netns.setRunDirectory(runDir);
        try (NamespaceExecutors executors = new NamespaceExecutors();
                NsHandle current = Netns.newNamed("Current"); NsHandle host = Netns.newNamed("HOST");
                NsHandle mine = Netns.get()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            assertThat(NamespaceReference.parse("Current")).isEqualTo(NamespaceReference.name("Current"));
            assertThat(template.<NamespaceId>execute("Current", ns -> NamespaceTemplateTest.here())).isEqualTo(current.id());
            assertThat(template.<NamespaceId>execute("HOST", ns -> NamespaceTemplateTest.here())).isEqualTo(host.id());
            assertThat(template.<NamespaceId>execute("current", ns -> NamespaceTemplateTest.here())).isEqualTo(mine.id());
            assertThat(template.<NamespaceId>execute("host", ns -> NamespaceTemplateTest.here())).isEqualTo(Netns.hostId());
            try (NsHandle resolved = new DefaultNamespaceResolver().resolve("Current")) {
                assertThat(resolved.equal(current)).isTrue();
            }
            for (String alias : List.of("host", "current", "Host", "CURRENT", "cUrReNt")) {
                assertThatThrownBy(() -> new NamespaceTemplate(new DefaultNamespaceResolver(), executors, Map.of(alias, "name:blue")))
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(alias).hasMessageContaining("keyword");
            }
        } finally {
            for (String name : List.of("Current", "HOST")) {
                try {
                    Netns.deleteNamed(name);
                } catch (NamespaceNotFoundException e) {
                    // not created
                }
            }
            Netns.setRunDirectory(previous);
            Commands.run(List.of("umount", "-l", runDir.toString()));
            ChildJvm.deleteRecursively(dir);
        }
    }
}
