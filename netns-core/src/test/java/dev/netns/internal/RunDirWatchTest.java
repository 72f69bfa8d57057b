package dev.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamedNamespaceEvent;
import dev.netns.NamedNamespaceEvent.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run-dir watch on a private directory of plain files: what inotify reports does not depend on
 * the files being namespaces, and a private directory can be flooded without disturbing anyone.
 */
class RunDirWatchTest {

    @TempDir
    Path temp;

    @Test
    void aRunDirThatDoesNotExistYetIsWaitedForAndItsRemovalDeletesEveryName() throws Exception {
        Path runDir = temp.resolve("a/b/netns");
        BlockingQueue<NamedNamespaceEvent> events = new LinkedBlockingQueue<>();
        try (RunDirWatch watch = RunDirWatch.start(runDir, events::add)) {
            Files.createDirectories(temp.resolve("a"));
            Files.createDirectory(temp.resolve("a/other"));
            Files.createDirectories(runDir);
            Files.createFile(runDir.resolve("red"));
            assertThat(events.poll(1, TimeUnit.SECONDS)).isEqualTo(new NamedNamespaceEvent(Kind.ADDED, "red"));
            Files.createFile(runDir.resolve("blue"));
            assertThat(events.poll(1, TimeUnit.SECONDS)).isEqualTo(new NamedNamespaceEvent(Kind.ADDED, "blue"));
            Files.delete(runDir.resolve("red"));
            Files.delete(runDir.resolve("blue"));
            Files.createFile(runDir.resolve("green"));
            Files.move(runDir, temp.resolve("a/b/moved"));
            List<NamedNamespaceEvent> rest = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                rest.add(events.poll(1, TimeUnit.SECONDS));
            }
            assertThat(rest).containsExactly(new NamedNamespaceEvent(Kind.DELETED, "red"),
                    new NamedNamespaceEvent(Kind.DELETED, "blue"), new NamedNamespaceEvent(Kind.ADDED, "green"),
                    new NamedNamespaceEvent(Kind.DELETED, "green"));
            Files.createDirectory(runDir);
            Files.createFile(runDir.resolve("again"));
            assertThat(events.poll(1, TimeUnit.SECONDS)).isEqualTo(new NamedNamespaceEvent(Kind.ADDED, "again"));
        }
        assertThat(events).isEmpty();
    }

    @Test
    void namesPresentAtTheStartAreNotReportedButTheirDeletionIs() throws Exception {
        Files.createFile(temp.resolve("old"));
        BlockingQueue<NamedNamespaceEvent> events = new LinkedBlockingQueue<>();
        try (RunDirWatch watch = RunDirWatch.start(temp, events::add)) {
            Files.delete(temp.resolve("old"));
            assertThat(events.poll(1, TimeUnit.SECONDS)).isEqualTo(new NamedNamespaceEvent(Kind.DELETED, "old"));
            assertThat(events.poll(100, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    /**
     * A listener that blocks while far more changes happen than the kernel queues (16384 events by
     * default) must still end up with a view that matches the directory: the overflow makes the
     * watch list the directory again and report the difference.
     */
    @Test
    void aQueueOverflowIsRepairedByListingTheDirectoryAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<NamedNamespaceEvent> events = new ArrayList<>();
        TreeSet<String> view = new TreeSet<>();
        List<String> duplicates = new ArrayList<>();
        try (RunDirWatch watch = RunDirWatch.start(temp, event -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (events) {
                events.add(event);
                boolean changed = event.kind() == Kind.ADDED ? view.add(event.name()) : view.remove(event.name());
                if (!changed) {
                    duplicates.add(event.toString());
                }
            }
        })) {
            // read after the watch started: an instance keeps the limit it was created with
            int limit = Integer.parseInt(Files.readString(Path.of("/proc/sys/fs/inotify/max_queued_events")).strip());
            int files = Math.max(20_000, limit + limit / 4); // more changes than the kernel queues, whatever its limit
            for (int i = 0; i < files; i++) {
                Files.createFile(temp.resolve("n" + i));
            }
            for (int i = 0; i < files; i += 3) {
                Files.delete(temp.resolve("n" + i));
            }
            release.countDown();
            TreeSet<String> expected = new TreeSet<>();
            try (Stream<Path> entries = Files.list(temp)) {
                entries.forEach(entry -> expected.add(entry.getFileName().toString()));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                synchronized (events) {
                    if (view.equals(expected)) {
                        break;
                    }
                }
                Thread.sleep(50);
            }
            synchronized (events) {
                assertThat(duplicates).isEmpty();
                assertThat(view).isEqualTo(expected);
                // fewer events than changes: the queue overflowed and was repaired by a listing
                assertThat(events.size()).isLessThan(files + files / 3);
            }
        }
    }

    @Test
    void closeFromTheListenerStopsAtOnce() throws Exception {
        BlockingQueue<NamedNamespaceEvent> events = new LinkedBlockingQueue<>();
        RunDirWatch[] holder = new RunDirWatch[1];
        holder[0] = RunDirWatch.start(temp, event -> {
            events.add(event);
            holder[0].close();
        });
        Files.createFile(temp.resolve("one"));
        Files.createFile(temp.resolve("two"));
        assertThat(events.poll(1, TimeUnit.SECONDS)).isEqualTo(new NamedNamespaceEvent(Kind.ADDED, "one"));
        holder[0].thread().join(1000);
        assertThat(holder[0].thread().isAlive()).isFalse();
        assertThat(events).isEmpty();
    }
}
