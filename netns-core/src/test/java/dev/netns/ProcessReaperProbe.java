package dev.netns;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Run in a fresh JVM by {@link ProcessReaperTest}: starts {@code sleep} from a thread inside the
 * namespace named by the second argument, with the JDK ({@code jdk}) or the template
 * ({@code template}), three children at once, and prints the names of the JVM's stray threads
 * while they run.
 */
public final class ProcessReaperProbe {

    private ProcessReaperProbe() {
    }

    public static void main(String[] args) throws Exception {
        boolean jdk = args[0].equals("jdk");
        NamespaceTemplate template = new NamespaceTemplate();
        List<Process> started = new CopyOnWriteArrayList<>();
        try (NsHandle target = Netns.fromName(args[1]); NsHandle home = Netns.get()) {
            Thread caller = new Thread(() -> {
                Netns.set(target);
                try {
                    // three at once: JNA's start-up (it runs ldconfig) may have left one idle reaper at home to reuse
                    for (int i = 0; i < 3; i++) {
                        started.add(jdk ? new ProcessBuilder("sleep", "30").start()
                                : template.start("host", new ProcessBuilder("sleep", "30")));
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                } finally {
                    Netns.set(home);
                }
            });
            caller.start();
            caller.join();
        }
        List<String> strays = Netns.threads().stream().filter(ThreadNamespace::stray).map(ThreadNamespace::name).toList();
        System.out.println("strays=" + strays);
        for (Process process : started) {
            process.destroyForcibly().waitFor();
        }
        template.executors().close();
    }
}
