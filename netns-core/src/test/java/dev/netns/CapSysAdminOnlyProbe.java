package dev.netns;

import dev.netns.internal.Syscalls;
import dev.netns.testsupport.ProbeLines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Run by {@link CapSysAdminOnlyTest} as uid 0 with CAP_SYS_ADMIN as its only capability: tries
 * every kind of operation and prints what each did.
 *
 * <p>Arguments: {@code core NAME PARENT_PID CAPLESS_PID}, a free name to create, the test JVM's pid
 * (root with every capability) and the pid of a process without capabilities; or
 * {@code docker CONTAINER PID}, a running container of the default engine and its process.
 */
public final class CapSysAdminOnlyProbe {

    private CapSysAdminOnlyProbe() {
    }

    public static void main(String[] args) throws Exception {
        ProbeLines.print("capabilities", CapSysAdminOnlyProbe::capabilities);
        if (args[0].equals("docker")) {
            docker(args[1], Integer.parseInt(args[2]));
        } else {
            core(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        }
    }

    private static void core(String name, int parentPid, int caplessPid) throws Exception {
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            ProbeLines.print("newNamed", () -> {
                try (NsHandle created = Netns.newNamed(name)) {
                    return created.id();
                }
            });
            ProbeLines.print("fromName", () -> {
                try (NsHandle byName = Netns.fromName(name)) {
                    return byName.id();
                }
            });
            ProbeLines.print("listNamed", () -> Netns.listNamed().contains(name));
            ProbeLines.print("setAndRestore", () -> onThread(() -> {
                try (NsHandle saved = Netns.get(); NsHandle target = Netns.fromName(name)) {
                    Netns.set(target);
                    boolean moved = here().equals(target.id());
                    Netns.set(saved);
                    return moved && here().equals(saved.id());
                }
            }));
            ProbeLines.print("templateExecute", () -> {
                try (NsHandle byName = Netns.fromName(name)) {
                    return template.execute(name, ns -> here()).equals(byName.id());
                }
            });
            ProbeLines.print("interfacesInside", () -> template.interfaces(name).stream().map(NetworkInterfaceInfo::name).toList());
            ProbeLines.print("interfacesOwn", () -> Netns.interfaces().size());
            ProbeLines.print("namesOf", () -> {
                try (NsHandle byName = Netns.fromName(name)) {
                    return Netns.namesOf(byName);
                }
            });
            ProbeLines.print("newNamespaceOnThrowawayThread", () -> onThread(() -> {
                try (NsHandle before = Netns.get(); NsHandle created = Netns.newNamespace()) {
                    return !created.equal(before) && here().equals(created.id());
                }
            }));
            ProbeLines.print("templateCreate", () -> {
                try (NsHandle created = template.create()) {
                    return template.execute(created, ns -> here()).equals(created.id());
                }
            });
            ProbeLines.print("threads", () -> Netns.threads().stream().filter(ThreadNamespace::stray).count());
            ProbeLines.print("fromPidOfSelf", () -> {
                try (NsHandle own = Netns.fromPid((int) ProcessHandle.current().pid())) {
                    return own.id();
                }
            });
            ProbeLines.print("fromPidWithoutCapabilities", () -> {
                try (NsHandle other = Netns.fromPid(caplessPid)) {
                    return other.id();
                }
            });
            ProbeLines.print("fromPidWithMoreCapabilities", () -> {
                try (NsHandle parent = Netns.fromPid(parentPid)) {
                    return parent.id();
                }
            });
            ProbeLines.print("pidsInSeesMoreCapableProcess", () -> {
                try (NsHandle host = Netns.fromPath("/proc/self/ns/net")) {
                    return Netns.pidsIn(host).contains(parentPid);
                }
            });
            ProbeLines.print("deleteNamed", () -> {
                Netns.deleteNamed(name);
                return Files.exists(Netns.runDirectory().resolve(name));
            });
        }
    }

    private static void docker(String container, int pid) {
        ProbeLines.print("fromDocker", () -> {
            try (NsHandle resolved = Netns.fromDocker(container)) {
                return resolved.id();
            }
        });
        ProbeLines.print("fromPidOfContainer", () -> {
            try (NsHandle byPid = Netns.fromPid(pid)) {
                return byPid.id();
            }
        });
    }

    private static NamespaceId here() {
        return Syscalls.idOf("/proc/thread-self/ns/net", null);
    }

    /** Runs on a fresh platform thread that ends with the call: what it does to its namespace dies with it. */
    private static <T> T onThread(java.util.concurrent.Callable<T> call) throws Exception {
        FutureTask<T> task = new FutureTask<>(call);
        Thread thread = new Thread(task, "nt-probe-thread");
        thread.start();
        thread.join();
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw (Error) e.getCause();
        }
    }

    /** The CapEff, CapPrm, CapInh, CapBnd and CapAmb lines of /proc/self/status. */
    private static String capabilities() throws Exception {
        return String.join(" ", Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("Cap")).map(line -> line.replaceAll("\\s+", "")).toList());
    }
}
