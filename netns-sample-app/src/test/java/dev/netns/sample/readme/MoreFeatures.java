package dev.netns.sample.readme;

import dev.netns.NamedNamespaceEvent;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NsHandle;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;
import org.springframework.context.event.EventListener;

/**
 * The README's blocks on namespace ids, watching named namespaces and processes, compiled here so
 * that they cannot rot ({@code ReadmeSnippetsTest}) and run by {@code MoreFeaturesTest}.
 */
final class MoreFeatures {

    private MoreFeatures() {
    }

    // tag::namespace-ids[]
    static OptionalInt namespaceIds(NamespaceTemplate netns, String blue, String red) {
        try (NsHandle redNs = Netns.fromName(red)) {
            netns.execute(blue, inside -> {                      // like `ip -n blue netns set red 7`
                Netns.setNsid(redNs, 7);                         // set in the calling thread's namespace
                return null;
            });
        }
        return netns.nsid(blue, red);                            // OptionalInt[7]: the id blue knows red by
    }
    // end::namespace-ids[]

    // tag::watch-named[]
    static AutoCloseable watch(List<NamedNamespaceEvent> seen) {
        // Like `ip netns monitor`: names added or deleted by anyone, in order, on one thread at home.
        return Netns.watchNamed(event -> seen.add(event));       // close() stops it and its thread
    }
    // end::watch-named[]

    // tag::start-process[]
    static String linksInside(NamespaceTemplate netns, String name) throws Exception {
        // Like `ip netns exec NAME ip -j link`, without forking `ip`; no thread is left inside.
        Process process = netns.start(name, new ProcessBuilder("ip", "-j", "link"));
        String json = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return json;
    }
    // end::start-process[]

    /** A Spring bean hearing about named namespaces from the starter. */
    static class NamespaceLog {

        final List<NamedNamespaceEvent> heard = new java.util.concurrent.CopyOnWriteArrayList<>();

        // tag::watch-listener[]
        @EventListener
        void on(NamedNamespaceEvent event) {                      // ADDED or DELETED, with the name
            heard.add(event);
        }
        // end::watch-listener[]
    }
}
