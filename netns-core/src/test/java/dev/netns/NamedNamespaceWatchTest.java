package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamedNamespaceEvent.Kind;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.Fds;
import dev.netns.testsupport.OnThread;
import dev.netns.testsupport.RequiresPrivileges;
import dev.netns.testsupport.TestNamespaces;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link Netns#watchNamed} against the real run dir, with names made by {@code ip netns} in child processes. */
@RequiresPrivileges
class NamedNamespaceWatchTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    /** Events about this test's own names only: other tests on this machine use the run dir too. */
    private static final class Events {
        final BlockingQueue<NamedNamespaceEvent> queue = new LinkedBlockingQueue<>();
        final BlockingQueue<String> threads = new LinkedBlockingQueue<>();
        final String prefix;

        Events(String prefix) {
            this.prefix = prefix;
        }

        void accept(NamedNamespaceEvent event) {
            if (event.name().startsWith(prefix)) {
                queue.add(event);
                threads.add(Thread.currentThread().getName());
            }
        }

        NamedNamespaceEvent next(long millis) throws InterruptedException {
            NamedNamespaceEvent event = queue.poll(millis, TimeUnit.MILLISECONDS);
            assertThat(event).as("an event within %d ms", millis).isNotNull();
            return event;
        }
    }

    @Test
    void namesAddedAndDeletedByIpNetnsArriveInOrderWithinASecond() throws Exception {
        String name = namespaces.newName();
        Events events = new Events(name);
        try (AutoCloseable watch = Netns.watchNamed(events::accept)) {
            Commands.check("ip", "netns", "add", name);
            assertThat(events.next(1000)).isEqualTo(new NamedNamespaceEvent(Kind.ADDED, name));
            Commands.check("ip", "netns", "delete", name);
            assertThat(events.next(1000)).isEqualTo(new NamedNamespaceEvent(Kind.DELETED, name));
            Commands.check("ip", "netns", "add", name);
            assertThat(events.next(1000)).isEqualTo(new NamedNamespaceEvent(Kind.ADDED, name));
        }
        assertThat(events.threads).allMatch(thread -> thread.startsWith("netns-watch-"));
    }

    @Test
    void aBurstOfTwoHundredNamesFromOneChildLosesNone() throws Exception {
        String prefix = namespaces.newName() + "-";
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            names.add(prefix + i);
        }
        Path batch = Files.createTempFile("nt-watch", ".batch");
        Path delete = Files.createTempFile("nt-watch", ".batch");
        Events events = new Events(prefix);
        try (AutoCloseable watch = Netns.watchNamed(events::accept)) {
            Files.write(batch, names.stream().map(name -> "netns add " + name).toList(), StandardCharsets.UTF_8);
            Files.write(delete, names.stream().map(name -> "netns delete " + name).toList(), StandardCharsets.UTF_8);
            Commands.check("ip", "-batch", batch.toString());
            Commands.check("ip", "-batch", delete.toString());
            List<NamedNamespaceEvent> received = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                received.add(events.next(5000));
            }
            List<NamedNamespaceEvent> expected = new ArrayList<>();
            names.forEach(name -> expected.add(new NamedNamespaceEvent(Kind.ADDED, name)));
            names.forEach(name -> expected.add(new NamedNamespaceEvent(Kind.DELETED, name)));
            assertThat(received).containsExactlyElementsOf(expected);
            assertThat(events.queue.poll(200, TimeUnit.MILLISECONDS)).isNull();
        } finally {
            for (String name : names) { // if the test failed half way
                if (Files.exists(Netns.runDirectory().resolve(name))) {
                    Commands.run(List.of("ip", "netns", "delete", name));
                }
            }
            Files.deleteIfExists(batch);
            Files.deleteIfExists(delete);
        }
    }

    @Test
    void namesThisJvmCreatesAndDeletesAreReportedToo() throws Exception {
        String name = namespaces.newName();
        Events events = new Events(name);
        try (AutoCloseable watch = Netns.watchNamed(events::accept)) {
            Netns.newNamed(name).close();
            assertThat(events.next(1000)).isEqualTo(new NamedNamespaceEvent(Kind.ADDED, name));
            Netns.deleteNamed(name);
            assertThat(events.next(1000)).isEqualTo(new NamedNamespaceEvent(Kind.DELETED, name));
        }
    }

    @Test
    void closingStopsEventsAndEndsTheThreadWithoutLeakingFds() throws Exception {
        String name = namespaces.newName();
        Events events = new Events(name);
        Netns.watchNamed(event -> { }).close(); // JNA's one-time set-up (a libffi file) is not a leak
        List<String> fdsBefore = Fds.targets();
        List<String> watchThreadsBefore = watchThreads();
        AutoCloseable watch = Netns.watchNamed(events::accept);
        assertThat(watchThreads()).hasSize(watchThreadsBefore.size() + 1);
        watch.close();
        watch.close(); // idempotent
        assertThat(watchThreads()).isEqualTo(watchThreadsBefore);
        assertThat(Fds.addedSince(fdsBefore)).isEmpty();
        Commands.check("ip", "netns", "add", name);
        assertThat(events.queue.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aWatchStartedInsideANamespaceDeliversAtHome() throws Exception {
        String inside = namespaces.ipNetnsAdd();
        String name = namespaces.newName();
        BlockingQueue<Boolean> atHome = new LinkedBlockingQueue<>();
        NamespaceId host = Netns.hostId();
        AutoCloseable watch;
        try (NsHandle target = Netns.fromName(inside); NsHandle home = Netns.get()) {
            watch = OnThread.call(() -> {
                Netns.set(target);
                try {
                    return Netns.watchNamed(event -> {
                        if (event.name().equals(name)) {
                            try (NsHandle current = Netns.get()) {
                                atHome.add(host.equals(current.id()));
                            }
                        }
                    });
                } finally {
                    Netns.set(home);
                }
            });
        }
        try (watch) {
            Commands.check("ip", "netns", "add", name);
            assertThat(atHome.poll(1, TimeUnit.SECONDS)).isTrue();
            assertThat(Netns.threads()).noneMatch(ThreadNamespace::stray);
        }
    }

    @Test
    void aListenerThatThrowsOrMovesTheThreadKeepsGettingEventsAtHome() throws Exception {
        String moveTo = namespaces.ipNetnsAdd();
        String first = namespaces.newName();
        String second = namespaces.newName();
        BlockingQueue<String> seen = new LinkedBlockingQueue<>();
        try (NsHandle elsewhere = Netns.fromName(moveTo);
                AutoCloseable watch = Netns.watchNamed(event -> {
                    if (event.name().equals(first)) {
                        seen.add(first);
                        Netns.set(elsewhere);
                        throw new IllegalStateException("a listener's bug");
                    }
                    if (event.name().equals(second)) {
                        seen.add(HomeCheck.atHome() ? "home" : "away");
                    }
                })) {
            Commands.check("ip", "netns", "add", first);
            assertThat(seen.poll(1, TimeUnit.SECONDS)).isEqualTo(first);
            Commands.check("ip", "netns", "add", second);
            assertThat(seen.poll(1, TimeUnit.SECONDS)).isEqualTo("home");
            assertThat(Netns.threads()).noneMatch(ThreadNamespace::stray);
        }
    }

    private static List<String> watchThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("netns-watch-")).sorted().toList();
    }

    /** Whether the calling thread is in this JVM's own network namespace. */
    private static final class HomeCheck {
        static boolean atHome() {
            try (NsHandle current = Netns.get()) {
                return Netns.hostId().equals(current.id());
            }
        }
    }
}
