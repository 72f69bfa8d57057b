package dev.netns;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Run by {@link FirstCallCreateTest} in a fresh JVM whose first library call is
 * {@code NamespaceTemplate.create()}: prints the JVM's threads outside its own network namespace
 * that are not pinned workers, once whatever ends by itself has had a moment to end.
 */
public final class FirstCallCreateProbe {

    private FirstCallCreateProbe() {
    }

    public static void main(String[] args) throws InterruptedException {
        NamespaceTemplate template = new NamespaceTemplate();
        try (NsHandle created = template.create()) {
            System.out.println("created " + created.id());
        }
        List<ThreadNamespace> strays = List.of();
        for (int attempt = 0; attempt < 50; attempt++) { // a thread that ends leaves /proc a moment later
            strays = Netns.threads().stream().filter(ThreadNamespace::stray).toList();
            if (strays.isEmpty()) {
                break;
            }
            Thread.sleep(20);
        }
        System.out.println("strays " + strays.size() + " "
                + strays.stream().map(ThreadNamespace::name).collect(Collectors.joining(",")));
        template.executors().close();
    }
}
