package dev.netns.moduleprobe;

import dev.netns.NamedNamespaceEvent;
import dev.netns.NamespaceResolverProvider;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NetnsRuntime;
import dev.netns.NsHandle;
import dev.netns.testsupport.ProbeLines;
import java.lang.module.ModuleDescriptor;
import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Run by {@code ModuleBoundaryTest} in a JVM where netns-core is a named module on the module path
 * and this class is on the class path: what is exported, what is hidden, and whether JNA, the
 * service lookup and (with {@code RUN_DIR} as argument, as root) named namespaces work there.
 */
public final class ModuleProbe {

    private ModuleProbe() {
    }

    public static void main(String[] args) {
        Module module = Netns.class.getModule();
        ProbeLines.print("module", () -> module.isNamed() ? module.getName() : "unnamed");
        ProbeLines.print("exports", () -> module.getDescriptor().exports().stream().map(ModuleDescriptor.Exports::source)
                .collect(Collectors.toCollection(TreeSet::new)));
        ProbeLines.print("internal", () -> Class.forName("dev.netns.internal.Linux").getMethod("isLinux").invoke(null));
        ProbeLines.print("get", () -> {
            try (NsHandle current = Netns.get()) {
                return current.id() + " " + NetnsRuntime.defaultRuntime().openHandles().size();
            }
        });
        ProbeLines.print("providers", () -> ServiceLoader.load(NamespaceResolverProvider.class).stream()
                .map(provider -> provider.type().getName()).collect(Collectors.toCollection(TreeSet::new)));
        ProbeLines.print("fromDocker", () -> Netns.fromDocker("web"));
        if (args.length > 0) {
            ProbeLines.print("named", () -> named(Path.of(args[0])));
        }
    }

    /** A named namespace of a runtime's own, watched, entered, with a process in it, and deleted: every native binding. */
    private static String named(Path runDir) throws Exception {
        String name = "nt-module-probe";
        BlockingQueue<NamedNamespaceEvent> events = new LinkedBlockingQueue<>();
        try (NetnsRuntime runtime = NetnsRuntime.builder().runDirectory(runDir).build()) {
            runtime.watchNamed(events::add);
            NamespaceTemplate template = new NamespaceTemplate(runtime);
            try (AutoCloseable executors = template.executors(); NsHandle created = runtime.newNamed(name)) {
                boolean inside = created.id().equals(template.execute(name, NsHandle::id));
                int exit = template.start(name, new ProcessBuilder("true")).waitFor();
                runtime.deleteNamed(name);
                return "event=" + events.poll(5, TimeUnit.SECONDS) + " inside=" + inside + " exit=" + exit
                        + " left=" + runtime.listNamed();
            }
        }
    }
}
