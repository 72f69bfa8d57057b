package dev.netns.sample.readme;

import dev.netns.DefaultNamespaceResolver;
import dev.netns.NamespaceResolver;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NetworkInterfaceInfo;
import dev.netns.NsHandle;
import dev.netns.docker.DockerNamespaceResolver;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;

/**
 * The README's core code blocks, compiled here so that they cannot rot: each region between
 * {@code tag::NAME[]} and {@code end::NAME[]} must equal the README block marked
 * {@code <!-- snippet: NAME -->} ({@code ReadmeSnippetsTest}), and the quick starts run
 * ({@code CoreQuickStartTest}).
 */
final class CoreQuickStart {

    private CoreQuickStart() {
    }

    // tag::core-quick-start[]
    static void quickStart(String name) throws Exception {
        NamespaceTemplate netns = new NamespaceTemplate();    // a resolver and pinned executors, with defaults
        try (NsHandle ns = netns.createNamed(name)) {         // like `ip netns add NAME`; this thread stays put
            // Runs on a platform thread born inside the namespace; the caller's thread never moves.
            for (NetworkInterfaceInfo link : netns.interfaces(name)) {
                System.out.println(link.name() + (link.up() ? " UP " : " DOWN ") + link.addresses());
            }
            // A socket opened inside belongs to the namespace for good, whichever thread uses it later.
            try (ServerSocket server = netns.execute(name, inside -> new ServerSocket(0))) {
                System.out.println("listening on port " + server.getLocalPort() + " inside " + ns.uniqueId());
            }
        } finally {
            netns.deleteNamed(name);                           // like `ip netns delete NAME`
            netns.executors().close();                         // ends the pinned threads
        }
    }
    // end::core-quick-start[]

    // tag::core-low-level[]
    static void lowLevel(String name) {
        // Netns acts on the calling thread, exactly like the Go package: you own save and restore.
        try (NsHandle origin = Netns.get();                   // this thread's namespace
             NsHandle target = Netns.newNamed(name)) {        // like `ip netns add`; this thread stays put
            Netns.set(target);                                // this thread is now inside
            try {
                // sockets opened here live in the namespace for good; start no thread here
            } finally {
                Netns.set(origin);                            // always switch back
            }
        }
        Netns.deleteNamed(name);                              // like `ip netns delete`
    }
    // end::core-low-level[]

    // tag::docker-from-docker[]
    static void fromDocker() {
        try (NsHandle web = Netns.fromDocker("web")) {        // full id, unique id prefix or name
            System.out.println(web.source() + " is " + web.uniqueId());   // docker:web is NS(4:4026532371)
        }
    }
    // end::docker-from-docker[]

    // tag::docker-own-resolver[]
    static void ownResolver(Logger log) {
        try (DockerNamespaceResolver docker = DockerNamespaceResolver.builder()
                .dockerHost("unix:///var/run/docker.sock")
                .connectTimeout(Duration.ofSeconds(2)).responseTimeout(Duration.ofSeconds(5))
                .build()) {
            docker.addInvalidationListener(gone -> log.info("{} stopped", gone.name()));
            NamespaceResolver resolver = new DefaultNamespaceResolver(List.of(docker));
            try (NsHandle web = resolver.resolve("docker:web")) {
                System.out.println(Netns.pidsIn(web));
            }
        }
    }
    // end::docker-own-resolver[]
}
