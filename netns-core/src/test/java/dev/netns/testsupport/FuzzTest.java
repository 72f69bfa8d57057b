package dev.netns.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The fuzz runner: every try run, failures that name seed, try and input, replay by seed, the figures reported. */
class FuzzTest {

    private final Map<String, Map<String, Object>> reports = new LinkedHashMap<>();
    private String seedBefore;

    @BeforeEach
    void saveSeed() {
        seedBefore = System.getProperty(Fuzz.SEED_PROPERTY);
    }

    @AfterEach
    void restoreSeed() {
        if (seedBefore == null) {
            System.clearProperty(Fuzz.SEED_PROPERTY);
        } else {
            System.setProperty(Fuzz.SEED_PROPERTY, seedBefore);
        }
    }

    private Fuzz fuzz(String name, int tries) {
        return Fuzz.named(name, tries).reportingTo((subject, values) -> reports.put(subject, new LinkedHashMap<>(values)));
    }

    @Test
    void aPassingRunTriesEveryInputAndReportsItsCountsAndSeed() {
        System.setProperty(Fuzz.SEED_PROPERTY, "1234");
        AtomicInteger checked = new AtomicInteger();
        AtomicInteger after = new AtomicInteger();

        fuzz("passing", 500).counting(() -> Map.of("checked", (long) checked.get())).thenCheck(after::incrementAndGet)
                .forAll(Gen.integers(0, 9), n -> {
                    checked.incrementAndGet();
                    assertThat(n).isBetween(0, 9);
                });

        assertThat(checked).hasValue(500);
        assertThat(after).hasValue(1);
        assertThat(reports.get("fuzz passing")).containsEntry("tries", 500).containsEntry("checks", 500)
                .containsEntry("checked", 500L).containsEntry("losses", "0").containsEntry("status", "SUCCESSFUL")
                .containsEntry("seed", 1234L).containsKey("seconds");
        assertThat(reports.get("fuzz passing").keySet())
                .containsExactly("tries", "checks", "checked", "losses", "status", "seconds", "seed");
    }

    @Test
    void theFirstFailureStopsTheRunAndNamesSeedTryAndInput() {
        System.setProperty(Fuzz.SEED_PROPERTY, "-77");
        List<String> inputs = new ArrayList<>();
        AtomicInteger after = new AtomicInteger();

        assertThatThrownBy(() -> fuzz("failing", 10_000).thenCheck(after::incrementAndGet)
                .forAll(Gen.of("fine", "fine", "fine", "bad\0\ud800"), text -> {
                    inputs.add(text);
                    assertThat(text).isEqualTo("fine");
                }))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("failing failed at try " + inputs.size() + " of 10000 with seed -77")
                .hasMessageContaining("-Dnetns.test.fuzz.seed=-77")
                .hasMessageContaining("on input \"bad\\u0000\\ud800\"")
                .hasCauseInstanceOf(AssertionError.class);

        assertThat(inputs).last().isEqualTo("bad\0\ud800");
        assertThat(after).hasValue(1);
        assertThat(reports.get("fuzz failing")).containsEntry("tries", inputs.size()).containsEntry("losses", "1+")
                .containsEntry("status", "FAILED").containsEntry("seed", -77L);
    }

    @Test
    void theSameSeedReplaysTheSameInputs() {
        Gen<String> gen = Gen.strings(0, 20);
        List<String> first = new ArrayList<>();
        fuzz("first", 200).forAll(gen, first::add);
        long seed = (long) reports.get("fuzz first").get("seed");

        System.setProperty(Fuzz.SEED_PROPERTY, Long.toString(seed));
        List<String> again = new ArrayList<>();
        fuzz("again", 200).forAll(gen, again::add);

        assertThat(again).isEqualTo(first);
        assertThat(reports.get("fuzz again")).containsEntry("seed", seed);
    }

    @Test
    void aFailingCheckAfterTheTriesFailsTheRun() {
        assertThatThrownBy(() -> fuzz("escaped", 10).thenCheck(() -> {
            throw new AssertionError("a file outside");
        }).forAll(Gen.constant(1), n -> { }))
                .isInstanceOf(AssertionError.class).hasMessageContaining("the check after 10 tries failed")
                .hasMessageContaining("a file outside");
        assertThat(reports.get("fuzz escaped")).containsEntry("losses", "1+").containsEntry("status", "FAILED");
    }

    @Test
    void anExceptionOtherThanAnAssertionFailsTheRunToo() {
        assertThatThrownBy(() -> fuzz("throwing", 10).forAll(Gen.constant("x"), text -> {
            throw new IllegalStateException("boom");
        })).isInstanceOf(AssertionError.class).hasMessageContaining("at try 1 of 10").hasMessageContaining("\"x\"")
                .hasCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void showEscapesWhatAReportCannotPrintAndCutsLongInputs() {
        assertThat(Fuzz.show(null)).isEqualTo("null");
        assertThat(Fuzz.show("a/b\0\n\u00e9\u2028\udc00")).isEqualTo("\"a/b\\u0000\\u000a\u00e9\\u2028\\udc00\"");
        assertThat(Fuzz.show("x".repeat(500))).isEqualTo("\"" + "x".repeat(120) + "... (500 chars)\"");
    }
}
