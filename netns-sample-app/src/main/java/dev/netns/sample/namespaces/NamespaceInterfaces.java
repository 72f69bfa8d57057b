package dev.netns.sample.namespaces;

import dev.netns.InterfaceSnapshots;
import dev.netns.NamespaceTemplate;
import dev.netns.NetworkInterfaceInfo;
import dev.netns.NsHandle;
import java.util.List;

/**
 * The interfaces inside any namespace a reference or alias points to, read without pinning an
 * executor or keeping a handle ({@link InterfaceSnapshots}): looking at a namespace on the
 * dashboard neither inflates the executor counts it shows nor keeps alive a namespace another tool
 * deleted.
 */
public class NamespaceInterfaces {

    private final NamespaceTemplate template;

    public NamespaceInterfaces(NamespaceTemplate template) {
        this.template = template;
    }

    /**
     * @throws IllegalArgumentException for a malformed reference
     * @throws dev.netns.NamespaceNotFoundException when it points to nothing
     */
    public Listing of(String reference) {
        String canonical = template.referenceOf(reference).toString();
        try (NsHandle ns = template.resolve(reference)) {
            return new Listing(canonical, String.valueOf(ns.id()), InterfaceSnapshots.of(ns));
        }
    }

    /**
     * The interfaces inside one namespace.
     *
     * @param reference the reference, parsed and printed back ({@code name:blue} for {@code blue})
     * @param namespace its id, {@code dev:ino}
     * @param interfaces its interfaces with their addresses, as {@code ip -j addr} shows them there
     */
    public record Listing(String reference, String namespace, List<NetworkInterfaceInfo> interfaces) {
    }
}
