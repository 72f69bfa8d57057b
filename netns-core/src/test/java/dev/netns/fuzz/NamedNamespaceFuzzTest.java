package dev.netns.fuzz;

import static dev.netns.testsupport.Fuzz.show;
import static dev.netns.testsupport.Gen.weighted;
import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamespaceNotFoundException;
import dev.netns.Netns;
import dev.netns.NsHandle;
import dev.netns.internal.NameCodec;
import dev.netns.internal.NamedNamespaces;
import dev.netns.internal.Syscalls;
import dev.netns.testsupport.Bounded;
import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.Fuzz;
import dev.netns.testsupport.Gen;
import dev.netns.testsupport.HostileStrings;
import dev.netns.testsupport.RequiresPrivileges;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Fuzzes named namespaces with generated names in a run dir of the test's own: {@code newNamed},
 * {@code fromName} and {@code deleteNamed} refuse every invalid name with
 * {@link IllegalArgumentException}, and a valid one never leads outside the run dir. Most names
 * are invalid; of the valid ones, those with this run's unique {@code nt-} prefix are really
 * created and deleted, at most {@value #MAX_CREATED}; the others must be not found.
 *
 * <p>The run dir sits four levels deep in a sandbox with sentinel files on the way up, and the
 * traversals generated aim at them; the sandbox, the run dir's parent and a few places outside
 * ({@code /}, {@code /tmp}, {@code /etc}, {@code /run}) must be unchanged afterwards. As a guard
 * against a regression doing harm, names that would resolve outside the sandbox are never passed
 * to {@code newNamed} or {@code deleteNamed} (only to the read-only {@code fromName}); the
 * sandboxed traversals exercise the same refusals. The test checks {@value #TRIES} generated names
 * ({@link Fuzz}: a failure names the seed that replays it).
 */
@RequiresPrivileges
class NamedNamespaceFuzzTest {

    private static final int TRIES = 10_000;
    private static final int MAX_CREATED = 300;
    private static final String PREFIX = "nt-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10) + "-";
    private static final List<Path> PLACES_OUTSIDE = List.of(Path.of("/"), Path.of("/tmp"), Path.of("/etc"), Path.of("/run"),
            Path.of("/run/netns"), Path.of("/var/run"), Path.of("/var/tmp"));

    private final Bounded bounded = new Bounded(Duration.ofSeconds(5));
    private final Set<String> tried = ConcurrentHashMap.newKeySet();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong notFound = new AtomicLong();
    private final AtomicLong created = new AtomicLong();
    private final AtomicLong keptOffTheFileSystem = new AtomicLong();

    private Path sandbox;
    private Path runDir;
    private Path previousRunDir;
    private Map<String, String> sandboxBefore;
    private Map<Path, Set<String>> placesBefore;
    private List<String> fdsBefore;

    /** The outcomes counted, for the figures line. */
    private Map<String, Long> counts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("rejected", rejected.get());
        counts.put("not-found", notFound.get());
        counts.put("created-and-deleted", created.get());
        counts.put("kept-off-fs", keptOffTheFileSystem.get());
        return counts;
    }

    @BeforeEach
    void makeSandbox() throws IOException {
        sandbox = ChildJvm.worldReadableTempDir("nt-fuzz-");
        runDir = Files.createDirectories(sandbox.resolve("a/b/c/run"));
        Files.writeString(sandbox.resolve("outside"), "sentinel");
        for (String dir : List.of("a", "a/b", "a/b/c")) {
            Files.writeString(sandbox.resolve(dir).resolve("sentinel"), "sentinel");
        }
        sandboxBefore = snapshot(sandbox);
        placesBefore = entriesOf(PLACES_OUTSIDE);
        previousRunDir = Netns.runDirectory();
        Netns.setRunDirectory(runDir);
        warmUp();
        fdsBefore = Fds.targets();
    }

    /**
     * Runs each operation the fuzz calls once, in the sandboxed run dir, before the fds are counted:
     * the first native call of a kind may open an fd that stays for the life of the JVM (JNA's
     * libffi keeps a deleted temp file open for its closures), which is no leak of the fuzz's.
     */
    private void warmUp() {
        String name = PREFIX + "warm-up";
        tried.add(name);
        Netns.newNamed(name).close();
        Netns.fromName(name).close();
        Netns.listNamed();
        Netns.deleteNamed(name);
        for (String missing : List.of(name, "..", PREFIX + "/..")) { // not found, then refused
            closeIfHandle(bounded.run(() -> show(missing), () -> Netns.fromName(missing)));
        }
    }

    /** Run after the last try, and reported with the tries: nothing left, nothing changed outside, no fd open. */
    private void checkNothingEscaped() throws IOException {
        Netns.setRunDirectory(previousRunDir);
        bounded.close();
        try (Stream<Path> left = Files.list(runDir)) {
            assertThat(left.map(Path::toString)).as("left in the run dir").isEmpty();
        }
        assertThat(snapshot(sandbox)).as("the sandbox around the run dir").isEqualTo(sandboxBefore);
        Map<Path, Set<String>> placesAfter = entriesOf(PLACES_OUTSIDE);
        Set<String> segments = new TreeSet<>();
        tried.forEach(name -> segments.addAll(List.of(name.split("/"))));
        placesAfter.forEach((place, entries) -> {
            Set<String> added = new TreeSet<>(entries);
            added.removeAll(placesBefore.getOrDefault(place, Set.of()));
            added.retainAll(segments);
            assertThat(added).as("entries added to %s with names the fuzz tried", place).isEmpty();
        });
        assertThat(Fds.addedSince(fdsBefore)).as("fds left open").isEmpty();
    }

    @AfterEach
    void removeSandbox() throws IOException {
        try {
            Netns.setRunDirectory(previousRunDir); // again, in case the test ended before its check
            bounded.close();
        } finally {
            Commands.run(List.of("umount", "-l", runDir.toString())); // newNamed made it a mount point
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).doesNotContain(sandbox.toString());
            ChildJvm.deleteRecursively(sandbox);
        }
    }

    private Gen<String> names() {
        Gen<String> up = Gen.of("..", "..", "./..", "../.", "..//", "%2e%2e", "..\\", "\u2025", "\uff0e\uff0e", ".")
                .list(1, 4).map(parts -> String.join("/", parts));
        Gen<String> target = Gen.of("sentinel", "outside", "run", "a/sentinel", "a/b/c/run/x", "", ".", "new");
        Gen<String> traversal = Gen.combine(up, Gen.of("/", "//", "/./"), target, (dots, slash, file) -> dots + slash + file);
        // Read the sandbox's paths when generating, not when the generator is built.
        Gen<String> absolute = Gen.combine(Gen.of("sandbox", "run dir", "run dir/..", "/"), target,
                (base, file) -> switch (base) {
                    case "sandbox" -> sandbox + "/" + file;
                    case "run dir" -> runDir + "/" + file;
                    case "run dir/.." -> runDir + "/../" + file;
                    default -> "/" + file;
                });
        return Gen.frequency(
                weighted(6, HostileStrings.names()),
                weighted(2, traversal),
                weighted(1, absolute),
                weighted(1, traversal.map(path -> PREFIX + "/" + path)),
                weighted(4, HostileStrings.names().map(name -> PREFIX + name)));
    }

    @Test
    void namesAreRefusedOrStayInsideTheRunDir() {
        Fuzz.named("NamedNamespaceFuzzTest.namesAreRefusedOrStayInsideTheRunDir", TRIES).counting(this::counts)
                .thenCheck(this::checkNothingEscaped).forAll(names(), this::namesAreRefusedOrStayInsideTheRunDir);
    }

    private void namesAreRefusedOrStayInsideTheRunDir(String name) {
        tried.add(name);
        Bounded.Outcome found = bounded.run(() -> show(name), () -> Netns.fromName(name));
        closeIfHandle(found);
        if (!NamespaceReferenceFuzzTest.isUsableName(name)) {
            rejected.incrementAndGet();
            assertInvalid(found, name);
            if (resolvesOutsideSandbox(name)) {
                keptOffTheFileSystem.incrementAndGet();
                return;
            }
            Bounded.Outcome made = bounded.run(() -> show(name), () -> Netns.newNamed(name));
            closeIfHandle(made);
            assertInvalid(made, name);
            assertInvalid(bounded.run(() -> show(name), () -> {
                Netns.deleteNamed(name);
                return null;
            }), name);
            return;
        }
        NamespaceReferenceFuzzTest.assertStaysInRunDir(name);
        Path file = runDir.resolve(name);
        assertThat(file.getParent()).isEqualTo(runDir);
        if (name.startsWith(PREFIX) && created.get() < MAX_CREATED) {
            createAndDelete(name);
            return;
        }
        notFound.incrementAndGet();
        assertThat(found.thrown()).as("fromName of %s", name).isExactlyInstanceOf(NamespaceNotFoundException.class);
        Bounded.Outcome deleted = bounded.run(() -> show(name), () -> {
            Netns.deleteNamed(name);
            return null;
        });
        assertThat(deleted.thrown()).as("deleteNamed of %s", name).isExactlyInstanceOf(NamespaceNotFoundException.class);
    }

    private void createAndDelete(String name) {
        Bounded.Outcome made = bounded.run(() -> show(name), () -> Netns.newNamed(name));
        assertThat(made.thrown()).as("newNamed of %s", name).isNull();
        try (NsHandle handle = (NsHandle) made.value()) {
            created.incrementAndGet();
            assertThat(inRunDir(name)).as("%s is in the run dir", show(name)).isTrue();
            assertThat(Netns.listNamed()).containsExactly(name);
            try (NsHandle byName = Netns.fromName(name)) {
                assertThat(byName.equal(handle)).isTrue();
            }
        }
        Bounded.Outcome deleted = bounded.run(() -> show(name), () -> {
            Netns.deleteNamed(name);
            return null;
        });
        assertThat(deleted.thrown()).as("deleteNamed of %s", name).isNull();
        assertThat(inRunDir(name)).as("%s is gone", show(name)).isFalse();
        assertThat(Netns.listNamed()).isEmpty();
    }

    /**
     * Whether the run dir holds the name's file, by its bytes on disk: a name with a {@code \xNN}
     * escape is the byte it stands for there, which no Java path of the name's text reaches.
     */
    private boolean inRunDir(String name) {
        byte[] onDisk = NameCodec.encode(name);
        return Syscalls.readDirectory(runDir.toString(), null).stream().anyMatch(entry -> Arrays.equals(entry, onDisk));
    }

    private static void assertInvalid(Bounded.Outcome outcome, String name) {
        assertThat(outcome.thrown()).as("outcome for %s", name).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid namespace name");
    }

    private boolean resolvesOutsideSandbox(String name) {
        try {
            return !runDir.resolve(name).normalize().startsWith(sandbox);
        } catch (InvalidPathException e) {
            return false; // it cannot reach the file system at all
        }
    }

    private static void closeIfHandle(Bounded.Outcome outcome) {
        if (outcome.value() instanceof NsHandle handle) {
            handle.close();
        }
    }

    /** Every file and directory under {@code dir} except the run dir's contents, with type, size and contents. */
    private Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> entries = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.filter(path -> !path.startsWith(runDir) || path.equals(runDir)).toList()) {
                BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                entries.put(dir.relativize(path).toString(), attributes.isRegularFile()
                        ? "file " + Files.readString(path) + " " + attributes.lastModifiedTime()
                        : attributes.isDirectory() ? "dir" : "other");
            }
        }
        return entries;
    }

    private static Map<Path, Set<String>> entriesOf(List<Path> places) throws IOException {
        Map<Path, Set<String>> entries = new LinkedHashMap<>();
        for (Path place : places) {
            if (Files.isDirectory(place)) {
                try (Stream<Path> list = Files.list(place)) {
                    entries.put(place, new TreeSet<>(list.map(path -> path.getFileName().toString()).toList()));
                }
            }
        }
        return entries;
    }

}
