package dev.netns;

import dev.netns.testsupport.ProbeLines;

/**
 * Run by {@link NonLinuxTest} in a JVM that claims another operating system ({@code -Dos.name}):
 * what needs no kernel must work, everything else must refuse clearly, and nothing may fail while
 * loading classes (JNA must not even be touched).
 */
public final class NonLinuxProbe {

    private NonLinuxProbe() {
    }

    public static void main(String[] args) {
        ProbeLines.print("none", NsHandle::none);
        ProbeLines.print("parse", () -> NamespaceReference.parse("blue"));
        ProbeLines.print("get", Netns::get);
        ProbeLines.print("set", () -> {
            Netns.set(Netns.none());
            return null;
        });
        ProbeLines.print("newNamespace", Netns::newNamespace);
        ProbeLines.print("listNamed", Netns::listNamed);
        ProbeLines.print("fromName", () -> Netns.fromName("x"));
        ProbeLines.print("newNamed", () -> Netns.newNamed("x"));
        ProbeLines.print("deleteNamed", () -> {
            Netns.deleteNamed("x");
            return null;
        });
        ProbeLines.print("threads", Netns::threads);
        ProbeLines.print("interfaces", Netns::interfaces);
        ProbeLines.print("resolveHost", () -> new DefaultNamespaceResolver().resolve("host"));
    }
}
