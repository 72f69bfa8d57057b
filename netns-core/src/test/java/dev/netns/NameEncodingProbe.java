package dev.netns;

import dev.netns.testsupport.ProbeLines;

/**
 * Run by {@link NameEncodingTest} in a JVM whose locale cannot encode {@code é} in file names:
 * every use of such a name must be refused as an invalid name, before anything is touched.
 */
public final class NameEncodingProbe {

    static final String NAME = "nt-\u00e9";

    private NameEncodingProbe() {
    }

    public static void main(String[] args) {
        ProbeLines.print("encoding", () -> System.getProperty("sun.jnu.encoding"));
        ProbeLines.print("fromName", () -> Netns.fromName(NAME));
        ProbeLines.print("newNamed", () -> Netns.newNamed(NAME));
        ProbeLines.print("deleteNamed", () -> {
            Netns.deleteNamed(NAME);
            return null;
        });
        ProbeLines.print("execute", () -> new NamespaceTemplate().execute(NAME, ns -> ns));
    }
}
