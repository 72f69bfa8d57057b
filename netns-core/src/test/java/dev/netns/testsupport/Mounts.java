package dev.netns.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The mounts of this process's mount namespace, for tests that make their own. */
public final class Mounts {

    private Mounts() {
    }

    /** The {@code /proc/self/mountinfo} lines of the mounts at a path, bottom first. */
    public static List<String> at(Path mountPoint) {
        return lines().stream().filter(line -> mountPointOf(line).equals(mountPoint.toString())).toList();
    }

    /**
     * Lazily unmounts every mount at or under {@code dir}, innermost and newest first, round after
     * round until none is left (a mount on a file under a directory bound onto itself shows twice).
     */
    public static void unmountAllUnder(Path dir) {
        for (int round = 0; round < 10; round++) {
            List<String> under = new ArrayList<>();
            for (String line : lines()) {
                String mountPoint = mountPointOf(line);
                if (mountPoint.equals(dir.toString()) || mountPoint.startsWith(dir + "/")) {
                    under.add(0, mountPoint); // newest first
                }
            }
            if (under.isEmpty()) {
                return;
            }
            under.stream().sorted((a, b) -> b.length() - a.length())
                    .forEach(mountPoint -> Commands.run(List.of("umount", "-l", mountPoint)));
        }
    }

    private static String mountPointOf(String mountInfoLine) {
        return mountInfoLine.split(" ")[4];
    }

    private static List<String> lines() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
