package dev.netns;

import dev.netns.testsupport.ProbeLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * Run by {@link UnprivilegedUserTest} as an unprivileged user: tries every operation that changes
 * namespaces (each must fail with a permission error) and the reads (which may work), and prints
 * what each did. The mutating operations then run a second time, and the fds and mounts the
 * process has after that are compared with those after the first round: a failed operation must
 * leave none behind. The run dirs are all in one folder of the test's.
 *
 * <p>Arguments: an existing named namespace, a free name, a run dir that does not exist and that
 * this user cannot create, one that does not exist and that this user can create, one that exists
 * and belongs to this user, and the pid of a root process.
 */
public final class UnprivilegedProbe {

    private UnprivilegedProbe() {
    }

    public static void main(String[] args) throws IOException {
        String existing = args[0];
        String free = args[1];
        Path missingRunDir = Path.of(args[2]);
        Path creatableRunDir = Path.of(args[3]);
        Path ownRunDir = Path.of(args[4]);
        int rootPid = Integer.parseInt(args[5]);
        Path runDir = Netns.runDirectory();

        Map<String, ProbeLines.Operation> mutating = new LinkedHashMap<>();
        mutating.put("set", () -> {
            try (NsHandle current = Netns.get()) {
                Netns.set(current);
                return current;
            }
        });
        mutating.put("setnsUts", () -> {
            try (NsHandle uts = Netns.get(NamespaceType.UTS)) {
                Netns.setns(uts, NamespaceType.UTS);
                return uts;
            }
        });
        mutating.put("newNamespace", () -> {
            try (NsHandle created = Netns.newNamespace()) {
                return created;
            }
        });
        mutating.put("newNamed", () -> {
            try (NsHandle created = Netns.newNamed(free)) {
                return created;
            }
        });
        mutating.put("deleteNamed", () -> {
            Netns.deleteNamed(existing);
            return existing;
        });
        mutating.put("newNamedInMissingRunDir", () -> inRunDir(missingRunDir, () -> Netns.newNamed(free)));
        mutating.put("newNamedInCreatableRunDir", () -> inRunDir(creatableRunDir, () -> Netns.newNamed(free)));
        mutating.put("newNamedInOwnRunDir", () -> inRunDir(ownRunDir, () -> Netns.newNamed(free)));
        mutating.put("templateCreate", () -> {
            try (NsHandle created = new NamespaceTemplate().create()) {
                return created;
            }
        });
        mutating.put("templateCreateNamed", () -> {
            try (NsHandle created = new NamespaceTemplate().createNamed(free)) {
                return created;
            }
        });
        mutating.put("templateDeleteNamed", () -> {
            new NamespaceTemplate().deleteNamed(existing);
            return existing;
        });
        mutating.put("templateExecute", () -> {
            try (NamespaceExecutors executors = new NamespaceExecutors()) {
                return new NamespaceTemplate(new DefaultNamespaceResolver(), executors).execute(existing, ns -> ns);
            }
        });
        mutating.put("executorSubmit", () -> {
            try (NamespaceExecutors executors = new NamespaceExecutors(); NsHandle target = Netns.fromName(existing)) {
                return executors.executorFor(target).submit(() -> "ran").get();
            } catch (ExecutionException e) {
                throw e.getCause();
            }
        });

        Map<String, ProbeLines.Operation> reads = new LinkedHashMap<>();
        reads.put("get", () -> {
            try (NsHandle current = Netns.get()) {
                return current.id();
            }
        });
        reads.put("listNamed", () -> Netns.listNamed().contains(existing));
        reads.put("fromName", () -> {
            try (NsHandle byName = Netns.fromName(existing)) {
                return byName.id();
            }
        });
        reads.put("namesOf", () -> {
            try (NsHandle byName = Netns.fromName(existing)) {
                return Netns.namesOf(byName);
            }
        });
        reads.put("interfacesOwn", () -> Netns.interfaces().size());
        reads.put("fromPidOfSelf", () -> {
            try (NsHandle own = Netns.fromPid((int) ProcessHandle.current().pid())) {
                return own.id();
            }
        });
        reads.put("fromPidOfRoot", () -> {
            try (NsHandle root = Netns.fromPid(rootPid)) {
                return root.id();
            }
        });
        reads.put("threads", () -> Netns.threads().size());
        reads.put("openHandles", () -> Netns.openHandles().size());

        mutating.forEach(ProbeLines::print);
        reads.forEach(ProbeLines::print);
        Netns.setRunDirectory(runDir);

        List<String> fdsBefore = fds();
        List<String> mountsBefore = Files.readAllLines(Path.of("/proc/self/mountinfo"));
        mutating.values().forEach(operation -> {
            try {
                operation.run();
            } catch (Throwable e) {
                // reported in the first round
            }
        });
        Netns.setRunDirectory(runDir);
        ProbeLines.print("fdsLeft", () -> added(fdsBefore, fds()));
        // Other test runs mount and unmount their names meanwhile: only mounts of this probe's names and folders count.
        String folder = missingRunDir.getParent().getParent().toString();
        ProbeLines.print("mountsAdded", () -> added(mountsBefore, Files.readAllLines(Path.of("/proc/self/mountinfo"))).stream()
                .filter(line -> line.contains(free) || line.contains(existing) || line.contains(folder)).toList());
    }

    private static Object inRunDir(Path dir, ProbeLines.Operation operation) throws Throwable {
        Path previous = Netns.runDirectory();
        Netns.setRunDirectory(dir);
        try {
            Object result = operation.run();
            if (result instanceof NsHandle handle) {
                handle.close();
            }
            return result;
        } finally {
            Netns.setRunDirectory(previous);
        }
    }

    /** The targets of this process's fds, {@code net:[4026532281]}, {@code /run/netns}... */
    private static List<String> fds() throws IOException {
        List<String> targets = new ArrayList<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    targets.add(Files.readSymbolicLink(fd).toString());
                } catch (IOException e) {
                    // the listing's own fd, closed meanwhile
                }
            }
        }
        return targets;
    }

    private static List<String> added(List<String> before, List<String> after) {
        List<String> added = new ArrayList<>(after);
        before.forEach(added::remove);
        return added;
    }
}
