package dev.netns.sample.readme;

import dev.netns.NamespaceTemplate;
import dev.netns.NetworkInterfaceInfo;
import dev.netns.spring.boot.aop.InNamespace;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.springframework.stereotype.Service;

// The README's starter quick start, compiled and run here (StarterQuickStartTest) so that it cannot rot.
// tag::starter-quick-start[]
@Service
public class BackendProbe {

    private final NamespaceTemplate netns;

    public BackendProbe(NamespaceTemplate netns) {
        this.netns = netns;
    }

    /** Runs inside the namespace that the alias "backend" stands for, on a thread pinned there. */
    @InNamespace("backend")
    public boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {                  // created inside "backend"
            socket.connect(new InetSocketAddress(host, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The template works with any reference or alias: "blue", "docker:web", "pid:42", "backend"... */
    public List<String> interfaceNames(String reference) {
        return netns.interfaces(reference).stream().map(NetworkInterfaceInfo::name).toList();
    }
}
// end::starter-quick-start[]
