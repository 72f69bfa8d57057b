package dev.netns;

import dev.netns.internal.Errno;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * Run by {@link NamedNamespaceRaceTest} in child JVMs: creates and deletes the given names at
 * random until the deadline, and prints what happened, by outcome, on one line
 * ({@code race created=N exists=N deleted=N missing=N}); any other outcome is printed in full on
 * its own {@code race-unexpected} line.
 */
public final class NamedNamespaceRaceProbe {

    private NamedNamespaceRaceProbe() {
    }

    public static void main(String[] args) throws Exception {
        long seconds = Long.parseLong(args[0]);
        List<String> names = List.of(args[1].split(","));
        Random random = new Random(Long.parseLong(args[2]));
        Map<String, Integer> outcomes = new TreeMap<>();
        for (String outcome : List.of("created", "exists", "deleted", "missing", "unexpected")) {
            outcomes.put(outcome, 0);
        }
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            String name = names.get(random.nextInt(names.size()));
            String outcome;
            try {
                if (random.nextBoolean()) {
                    Netns.newNamed(name).close();
                    outcome = "created";
                } else {
                    Netns.deleteNamed(name);
                    outcome = "deleted";
                }
            } catch (NamespaceExistsException e) {
                outcome = e.errno() == Errno.EEXIST ? "exists" : unexpected(e);
            } catch (NamespaceNotFoundException e) {
                outcome = e.errno() == Errno.ENOENT ? "missing" : unexpected(e);
            } catch (RuntimeException e) {
                outcome = unexpected(e);
            }
            outcomes.merge(outcome, 1, Integer::sum);
        }
        StringBuilder line = new StringBuilder("race");
        outcomes.forEach((outcome, count) -> line.append(' ').append(outcome).append('=').append(count));
        System.out.println(line);
        System.out.flush();
    }

    private static String unexpected(Throwable e) {
        StringBuilder text = new StringBuilder("race-unexpected ").append(e);
        for (Throwable suppressed : e.getSuppressed()) {
            text.append(" suppressed: ").append(suppressed);
        }
        System.out.println(text.toString().replace('\n', ' '));
        e.printStackTrace(System.out);
        return "unexpected";
    }
}
