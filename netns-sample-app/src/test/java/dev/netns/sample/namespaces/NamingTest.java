package dev.netns.sample.namespaces;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class NamingTest {

    @Test
    void newNamesAreShortPlainWords() {
        assertThat(NamespaceNames.requireValidNewName("blue")).isEqualTo("blue");
        assertThat(NamespaceNames.requireValidNewName("nt-0a1b.c_d")).isEqualTo("nt-0a1b.c_d");
        for (String bad : new String[] {"", "-all", ".hidden", "a/b", "a b", "a\0b", "n".repeat(65), "blå"}) {
            assertThatIllegalArgumentException().as(bad).isThrownBy(() -> NamespaceNames.requireValidNewName(bad));
        }
    }

    @Test
    void hostEndsAreStableValidLinkNamesWithThePrefix() {
        String end = VethLinks.hostEndOf("blue");
        assertThat(end).startsWith(VethLinks.HOST_PREFIX).hasSizeLessThanOrEqualTo(15).matches("[a-z0-9-]+");
        assertThat(VethLinks.hostEndOf("blue")).isEqualTo(end);
        assertThat(VethLinks.hostEndOf("green")).isNotEqualTo(end);
    }
}
