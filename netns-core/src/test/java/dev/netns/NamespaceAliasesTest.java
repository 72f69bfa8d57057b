package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamespaceAliasesTest {

    @ParameterizedTest
    @ValueSource(strings = {"host", "current", "Host", "CURRENT", "cUrReNt", " host ", "HOST\t"})
    void theKeywordsAreRefusedAsAliasesInAnyCase(String alias) {
        assertThatThrownBy(() -> NamespaceAliases.of(Map.of(alias, "name:blue")))
                .isExactlyInstanceOf(InvalidNamespaceAliasException.class)
                .hasMessageContaining("'" + alias + "'").hasMessageContaining("keyword")
                .satisfies(e -> {
                    InvalidNamespaceAliasException refused = (InvalidNamespaceAliasException) e;
                    assertThat(refused.alias()).isEqualTo(alias);
                    assertThat(refused.reference()).isEqualTo("name:blue");
                    assertThat(refused.reason()).contains("keywords of references");
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t", "\n"})
    void blankAliasesAreRefused(String alias) {
        assertThatThrownBy(() -> NamespaceAliases.of(Map.of(alias, "name:blue")))
                .isExactlyInstanceOf(InvalidNamespaceAliasException.class).hasMessageContaining("alias '" + alias + "'")
                .hasMessageContaining("must not be blank");
    }

    @Test
    void aNullAliasIsRefused() {
        Map<String, String> aliases = new HashMap<>();
        aliases.put(null, "name:blue");
        assertThatThrownBy(() -> NamespaceAliases.of(aliases)).isExactlyInstanceOf(InvalidNamespaceAliasException.class)
                .hasMessageContaining("must not be blank");
    }

    @ParameterizedTest
    @ValueSource(strings = {"pid:-1", "bogus:x", "", "path:relative", "name:a/b", "thread:12", "docker:", "HOST:x"})
    void anAliasForABadReferenceIsRefusedNamingTheAliasAndWhatIsWrong(String reference) {
        assertThatThrownBy(() -> NamespaceAliases.of(Map.of("backend", reference)))
                .isExactlyInstanceOf(InvalidNamespaceAliasException.class)
                .hasMessageStartingWith("Namespace alias 'backend': Invalid namespace reference")
                .hasMessageContaining("valid forms:")
                .hasCauseExactlyInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(((InvalidNamespaceAliasException) e).reference()).isEqualTo(reference));
    }

    @Test
    void anAliasForNoReferenceIsRefused() {
        Map<String, String> aliases = new HashMap<>();
        aliases.put("backend", null);
        assertThatThrownBy(() -> NamespaceAliases.of(aliases)).isExactlyInstanceOf(InvalidNamespaceAliasException.class)
                .hasMessageStartingWith("Namespace alias 'backend': Invalid namespace reference 'null'");
    }

    @Test
    void theFirstBadAliasIsNamedEvenAfterGoodOnes() {
        Map<String, String> aliases = new LinkedHashMap<>();
        aliases.put("web", "docker:web-1");
        aliases.put("Current", "name:blue");
        aliases.put("db", "pid:x");
        assertThatThrownBy(() -> NamespaceAliases.of(aliases))
                .satisfies(e -> assertThat(((InvalidNamespaceAliasException) e).alias()).isEqualTo("Current"));
    }

    @Test
    void aliasesStandForTheirReferencesInTheOrderGivenAndEverythingElseIsParsed() {
        Map<String, String> given = new LinkedHashMap<>();
        given.put("web", "docker:web-1");
        given.put("blue", "name:green");
        given.put("Hosts", "host");
        given.put("a", "pid:42");
        NamespaceAliases aliases = NamespaceAliases.of(given);
        given.clear(); // a copy is kept

        assertThat(aliases.asMap()).containsExactly(Map.entry("web", new NamespaceReference("docker", "web-1")),
                Map.entry("blue", NamespaceReference.name("green")), Map.entry("Hosts", new NamespaceReference("host", "")),
                Map.entry("a", NamespaceReference.pid(42)));
        assertThatThrownBy(() -> aliases.asMap().put("x", NamespaceReference.name("x")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(aliases.referenceOf("blue")).isEqualTo(NamespaceReference.name("green")); // the alias wins over the name
        assertThat(aliases.referenceOf("Blue")).isEqualTo(NamespaceReference.name("Blue"));  // aliases are case-sensitive
        assertThat(aliases.referenceOf("host")).isEqualTo(new NamespaceReference("host", ""));
        assertThat(aliases.isAlias("web")).isTrue();
        assertThat(aliases.isAlias("docker:web-1")).isFalse();
        assertThat(aliases.isAlias(null)).isFalse();
        assertThatThrownBy(() -> aliases.referenceOf("pid:0")).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid namespace reference 'pid:0'");
    }

    @Test
    void theTemplateRefusesAliasesThroughTheSameCheck() {
        try (NamespaceExecutors executors = new NamespaceExecutors()) {
            for (Map<String, String> bad : java.util.List.of(Map.of("CURRENT", "name:blue"), Map.of("backend", "pid:-1"),
                    Map.of("", "name:blue"))) {
                InvalidNamespaceAliasException expected = catchRefusal(bad);
                assertThatThrownBy(() -> new NamespaceTemplate(new DefaultNamespaceResolver(), executors, bad))
                        .isExactlyInstanceOf(InvalidNamespaceAliasException.class).hasMessage(expected.getMessage());
            }
            assertThat(executors.executors()).isEmpty();
        }
    }

    private static InvalidNamespaceAliasException catchRefusal(Map<String, String> aliases) {
        try {
            NamespaceAliases.of(aliases);
        } catch (InvalidNamespaceAliasException e) {
            return e;
        }
        throw new AssertionError("accepted " + aliases);
    }
}
