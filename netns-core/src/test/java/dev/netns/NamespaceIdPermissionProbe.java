package dev.netns;

import dev.netns.testsupport.ProbeLines;

/**
 * Run by {@link NamespaceIdPermissionTest} as root without CAP_NET_ADMIN: reads and sets the id of
 * the namespace named by the first argument, from the one named by the second, and prints what each did.
 */
public final class NamespaceIdPermissionProbe {

    private NamespaceIdPermissionProbe() {
    }

    public static void main(String[] args) throws Exception {
        try (NamespaceExecutors executors = new NamespaceExecutors(); NsHandle of = Netns.fromName(args[0])) {
            NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);
            ProbeLines.print("read", () -> template.nsid(args[1], args[0]));
            ProbeLines.print("set", () -> template.execute(args[1], ns -> {
                Netns.setNsid(of, 5);
                return "set";
            }));
        }
    }
}
