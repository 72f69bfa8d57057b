package dev.netns.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Command lines that run a main class of the test sources in a fresh JVM, like this one. */
public final class ChildJvm {

    private static final Set<PosixFilePermission> WORLD_READABLE_DIR = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final Set<PosixFilePermission> WORLD_READABLE_FILE = PosixFilePermissions.fromString("rw-r--r--");

    private ChildJvm() {
    }

    /** The classpath of this test JVM: target/classes, target/test-classes and the dependency jars. */
    public static List<Path> classpath() {
        String classpath = System.getProperty("java.class.path", "");
        List<Path> entries = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (!entry.isEmpty()) {
                entries.add(Path.of(entry));
            }
        }
        return entries;
    }

    /**
     * {@code java [options] -cp CLASSPATH mainClass args...} with this JVM's launcher. Without
     * {@code -XX:-UsePerfData} each JVM leaves an {@code hsperfdata} file in /tmp while it runs.
     */
    public static List<String> command(List<Path> classpath, List<String> options, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:-UsePerfData");
        if (Runtime.version().feature() >= 24) {
            command.add("--enable-native-access=ALL-UNNAMED"); // else JNA's first load prints a warning
        }
        command.addAll(options);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, classpath.stream().map(Path::toString).toList()));
        command.add(mainClass);
        command.addAll(List.of(args));
        return command;
    }

    /**
     * A new directory {@code /tmp/PREFIX...} that every user may read; delete it with
     * {@link #deleteRecursively}.
     */
    public static Path worldReadableTempDir(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(prefix);
        Files.setPosixFilePermissions(dir, WORLD_READABLE_DIR);
        return dir;
    }

    /**
     * Copies every classpath entry into {@code dir}, world-readable, so that another user can run
     * the test classes (the local Maven repository under /root is not readable to others).
     *
     * @return the copies, in classpath order
     */
    public static List<Path> copyClasspath(List<Path> classpath, Path dir) throws IOException {
        List<Path> copies = new ArrayList<>();
        for (int i = 0; i < classpath.size(); i++) {
            Path entry = classpath.get(i);
            if (!Files.exists(entry)) {
                continue;
            }
            // The index keeps two entries with the same file name (classes, classes) apart.
            Path copy = dir.resolve(i + "-" + entry.getFileName());
            copyWorldReadable(entry, copy);
            copies.add(copy);
        }
        return copies;
    }

    private static void copyWorldReadable(Path source, Path target) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path copy = target.resolve(source.relativize(dir).toString());
                Files.createDirectories(copy);
                Files.setPosixFilePermissions(copy, WORLD_READABLE_DIR);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path copy = source.equals(file) ? target : target.resolve(source.relativize(file).toString());
                Files.copy(file, copy, StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(copy, WORLD_READABLE_FILE);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes a directory tree; a missing one is fine. */
    public static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir, e);
        }
    }
}
