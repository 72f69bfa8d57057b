package dev.netns.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

/** The generators the fuzz tests are built from: deterministic per seed, in range, with the biases they promise. */
class GenTest {

    private static final int DRAWS = 10_000;

    private static <T> List<T> draw(Gen<T> gen, long seed, int count) {
        RandomGenerator random = new SplittableRandom(seed);
        List<T> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(gen.next(random));
        }
        return values;
    }

    @Test
    void theSameSeedGivesTheSameValuesAndAnotherSeedOthers() {
        Gen<String> gen = Gen.frequency(
                Gen.weighted(3, Gen.strings(0, 40)),
                Gen.weighted(2, Gen.combine(Gen.of("a", "b"), Gen.anyLong(), (text, number) -> text + number)),
                Gen.weighted(1, Gen.of("x", "y").list(1, 4).map(parts -> String.join("/", parts)).injectNull(0.1)));

        assertThat(draw(gen, 42, 1_000)).isEqualTo(draw(gen, 42, 1_000));
        assertThat(draw(gen, 43, 1_000)).isNotEqualTo(draw(gen, 42, 1_000));
    }

    @Test
    void integersAndLongsStayInTheirRangeAndReachBothEnds() {
        assertThat(draw(Gen.integers(240, 270), 1, DRAWS)).allMatch(n -> n >= 240 && n <= 270).contains(240, 270);
        assertThat(draw(Gen.integers(Integer.MAX_VALUE - 1, Integer.MAX_VALUE), 1, 100))
                .containsOnly(Integer.MAX_VALUE - 1, Integer.MAX_VALUE);
        assertThat(draw(Gen.longs(Long.MAX_VALUE - 2, Long.MAX_VALUE), 1, 100))
                .containsOnly(Long.MAX_VALUE - 2, Long.MAX_VALUE - 1, Long.MAX_VALUE);
        assertThat(draw(Gen.longs(Long.MIN_VALUE, Long.MIN_VALUE + 1), 1, 100)).containsOnly(Long.MIN_VALUE, Long.MIN_VALUE + 1);
        assertThat(draw(Gen.integers(7, 7), 1, 10)).containsOnly(7);
    }

    @Test
    void anyLongGivesTheEdgesAndEveryMagnitude() {
        List<Long> longs = draw(Gen.anyLong(), 2, DRAWS);
        assertThat(longs).contains(Long.MIN_VALUE, Long.MAX_VALUE, 0L, -1L, (long) Integer.MAX_VALUE + 1);
        assertThat(longs).anyMatch(n -> n > 0 && n < 1_000).anyMatch(n -> n < 0 && n > -1_000)
                .anyMatch(n -> n > 1_000_000 && n < 10_000_000).anyMatch(n -> n > 1L << 40);
    }

    @Test
    void stringsOfAnyCharsHoldUnpairedSurrogatesNulAndEveryEncodingLength() {
        List<String> strings = draw(Gen.strings(0, 40), 3, DRAWS);
        assertThat(strings).allMatch(text -> text.length() <= 40).contains("");
        assertThat(strings).anyMatch(text -> !StandardCharsets.UTF_8.newEncoder().canEncode(text))
                .anyMatch(text -> text.indexOf('\0') >= 0)
                .anyMatch(text -> text.chars().anyMatch(c -> c < 0x80))
                .anyMatch(text -> text.chars().anyMatch(c -> c >= 0x80 && c < 0x800))
                .anyMatch(text -> text.chars().anyMatch(c -> c >= 0x800 && !Character.isSurrogate((char) c)));
        assertThat(draw(Gen.strings("ab", 2, 3), 3, 100)).allMatch(text -> text.matches("[ab]{2,3}"));
    }

    @Test
    void frequencyFollowsTheWeightsAndNeverPicksAZeroWeight() {
        List<String> picks = draw(Gen.frequency(Gen.weighted(3, Gen.constant("three")), Gen.weighted(1, Gen.constant("one")),
                Gen.weighted(0, Gen.constant("never"))), 4, DRAWS);
        assertThat(share(picks, "three"::equals)).isCloseTo(0.75, within(0.03));
        assertThat(picks).doesNotContain("never");
    }

    @Test
    void injectNullGivesNullAsOftenAsAsked() {
        assertThat(share(draw(Gen.constant("x").injectNull(0.1), 5, DRAWS), value -> value == null)).isCloseTo(0.1, within(0.02));
        assertThat(draw(Gen.constant("x").injectNull(0), 5, DRAWS)).doesNotContainNull();
    }

    @Test
    void listsAndMapsKeepToTheirSizes() {
        assertThat(draw(Gen.of(1, 2, 3).list(1, 4), 6, 1_000)).allMatch(list -> list.size() >= 1 && list.size() <= 4)
                .anyMatch(list -> list.size() == 1).anyMatch(list -> list.size() == 4);
        List<Map<String, Integer>> maps = draw(Gen.maps(Gen.strings("abc", 1, 2).injectNull(0.2), Gen.integers(0, 9), 5), 6, 1_000);
        assertThat(maps).allMatch(map -> map.size() <= 5).anyMatch(Map::isEmpty).anyMatch(map -> map.size() == 5)
                .anyMatch(map -> map.containsKey(null));
    }

    private static <T> double share(List<T> values, Predicate<T> which) {
        return (double) values.stream().filter(which).count() / values.size();
    }
}
