package dev.netns.sample.readme;

import dev.netns.NamespaceTemplate;
import dev.netns.NetnsRuntime;
import dev.netns.NsHandle;
import java.nio.file.Path;
import java.util.List;

/** The README's block on {@link NetnsRuntime}, compiled here and run by {@code RuntimeExampleTest}. */
final class RuntimeExample {

    private RuntimeExample() {
    }

    // tag::core-runtime[]
    static List<String> ownRuntime(Path runDir, String name) {
        try (NetnsRuntime runtime = NetnsRuntime.builder()  // settings of its own; Netns.* uses the default runtime
                .runDirectory(runDir)                       // its names live here, not in /run/netns
                .trackStackTraces(true)                     // its leak logs show where a handle was opened
                .build()) {
            NamespaceTemplate netns = new NamespaceTemplate(runtime);
            try (NsHandle ns = netns.createNamed(name)) {
                System.out.println(runtime.openHandles());  // the handles opened through this runtime only
                return runtime.listNamed();                 // [name]: the names of its run dir
            } finally {
                netns.deleteNamed(name);
                netns.executors().close();
            }
        }                                                   // closed: its watches stop, later calls fail
    }
    // end::core-runtime[]
}
