package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamedNamespaceEvent.Kind;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link Netns#watchNamed} names a namespace as {@link Netns#listNamed()} does, so that the name in
 * an event opens that namespace, whatever bytes it has on disk.
 */
@RequiresPrivileges
class NamedNamespaceWatchNamesTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    /** Runs {@code ip netns VERB} on the name {@code $1} followed by the shell's {@code printf} of {@code tail}. */
    private static void ipNetns(String verb, String name, String tail) {
        Commands.check("sh", "-c", "ip netns " + verb + " \"$1$(printf '" + tail + "')\"", "sh", name);
    }

    @Test
    void eventsNameOddBytesAndBackslashesAsTheListingDoes() throws Exception {
        String prefix = namespaces.newName();
        BlockingQueue<NamedNamespaceEvent> events = new LinkedBlockingQueue<>();
        List<String> tails = List.of("x\\377", "x\\376", "x\\\\x41"); // bytes 0xff, 0xfe, and the four characters \x41
        try (AutoCloseable watch = Netns.watchNamed(event -> {
            if (event.name().startsWith(prefix)) {
                events.add(event);
            }
        })) {
            for (String tail : tails) {
                ipNetns("add", prefix, tail);
            }
            List<String> listed = new ArrayList<>(Netns.listNamed());
            listed.removeIf(name -> !name.startsWith(prefix));
            assertThat(listed).hasSize(3);
            List<String> added = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                NamedNamespaceEvent event = events.poll(2, TimeUnit.SECONDS);
                assertThat(event).as("ADDED %d of 3", i + 1).isNotNull();
                assertThat(event.kind()).isEqualTo(Kind.ADDED);
                added.add(event.name());
            }
            assertThat(added).containsExactlyInAnyOrderElementsOf(listed);
            for (String name : added) {
                try (NsHandle opened = Netns.fromName(name)) {
                    assertThat(opened.type()).isEqualTo(NamespaceType.NET);
                }
            }
        } finally {
            for (String tail : tails) {
                Commands.run(List.of("sh", "-c", "ip netns delete \"$1$(printf '" + tail + "')\"", "sh", prefix));
            }
        }
    }
}
