package dev.netns.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fuzz tests' inputs: the same for the same seed, and of every shape promised. */
class HostileStringsTest {

    private static List<String> draw(Gen<String> gen, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            values.add(gen.next(random));
        }
        return values;
    }

    @Test
    void theSameSeedGivesTheSameReferences() {
        assertThat(draw(HostileStrings.references(), 7)).isEqualTo(draw(HostileStrings.references(), 7));
    }

    @Test
    void namesComeInEveryShape() {
        List<String> names = draw(HostileStrings.names(), 8);
        assertThat(names)
                .contains("", "/", "..", ".")
                .anyMatch(name -> name.contains("\0"))
                .anyMatch(name -> !StandardCharsets.UTF_8.newEncoder().canEncode(name))
                .anyMatch(name -> name.getBytes(StandardCharsets.UTF_8).length == 255)
                .anyMatch(name -> name.getBytes(StandardCharsets.UTF_8).length == 256)
                .anyMatch(name -> name.length() > 4_000)
                .anyMatch(name -> !name.isEmpty() && name.strip().length() < name.length());
    }

    @Test
    void referencesHaveEveryScheme() {
        List<String> references = draw(HostileStrings.references(), 9);
        for (String scheme : List.of("name:", "path:", "pid:", "thread:", "docker:", "host", "current")) {
            assertThat(references).as(scheme).anyMatch(reference -> reference.startsWith(scheme));
        }
        assertThat(references).anyMatch(reference -> reference.matches("thread:\\d+/\\d+"))
                .anyMatch(reference -> reference.matches("pid:-\\d+")).anyMatch(reference -> reference.matches("pid:\\d{1,3}"))
                .anyMatch(reference -> reference.matches("pid:\\d{12,}"));
    }
}
