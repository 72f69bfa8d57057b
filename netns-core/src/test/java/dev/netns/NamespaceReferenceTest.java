package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NamespaceReferenceTest {

    private static final String VALID_FORMS = "valid forms: NAME, name:NAME, path:/ABSOLUTE/PATH, pid:PID, thread:PID/TID,"
            + " docker:ID-PREFIX-OR-NAME, host, current";

    static Stream<Arguments> validForms() {
        return Stream.of(
                Arguments.of("blue", "name", "blue"),
                Arguments.of("name:blue", "name", "blue"),
                Arguments.of("NAME:blue", "name", "blue"),
                Arguments.of("  blue  ", "name", "blue"),
                Arguments.of("name:host", "name", "host"),
                Arguments.of("name:a:b", "name", "a:b"),
                Arguments.of("name:" + "n".repeat(255), "name", "n".repeat(255)),
                Arguments.of("path:/run/netns/blue", "path", "/run/netns/blue"),
                Arguments.of("path:/proc/self/ns/net", "path", "/proc/self/ns/net"),
                Arguments.of("pid:1", "pid", "1"),
                Arguments.of("pid:2147483647", "pid", "2147483647"),
                Arguments.of("thread:1234/1240", "thread", "1234/1240"),
                Arguments.of("docker:3f2a", "docker", "3f2a"),
                Arguments.of("docker:web-1", "docker", "web-1"),
                Arguments.of("docker:/web", "docker", "/web"),
                Arguments.of("host", "host", ""),
                Arguments.of("HOST", "name", "HOST"),
                Arguments.of("Current", "name", "Current"),
                Arguments.of("current", "current", ""));
    }

    @ParameterizedTest
    @MethodSource("validForms")
    void everyValidFormParsesAndItsTextParsesBackToAnEqualReference(String text, String scheme, String value) {
        NamespaceReference reference = NamespaceReference.parse(text);
        assertThat(reference).isEqualTo(new NamespaceReference(scheme, value));
        assertThat(NamespaceReference.parse(reference.toString())).isEqualTo(reference);
    }

    @Test
    void keywordsPrintAsKeywordsAndOtherSchemesWithTheirValue() {
        assertThat(NamespaceReference.parse("host")).hasToString("host");
        assertThat(NamespaceReference.parse("current")).hasToString("current");
        assertThat(NamespaceReference.parse("blue")).hasToString("name:blue");
        assertThat(NamespaceReference.name("host")).hasToString("name:host");
        assertThat(NamespaceReference.pid(42)).isEqualTo(NamespaceReference.parse("pid:42"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"host:", "current:", "HOST:", "Current:", " Host: "})
    void aKeywordWrittenAsASchemeIsNoKeyword(String text) {
        assertThatThrownBy(() -> NamespaceReference.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid namespace reference").hasMessageContaining(VALID_FORMS);
    }

    @Test
    void pidAndTidAreReadFromPidAndThreadReferences() {
        assertThat(NamespaceReference.parse("pid:42").pid()).isEqualTo(42);
        NamespaceReference thread = NamespaceReference.parse("thread:1234/1240");
        assertThat(thread.pid()).isEqualTo(1234);
        assertThat(thread.tid()).isEqualTo(1240);
        assertThatThrownBy(() -> NamespaceReference.parse("blue").pid()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> NamespaceReference.parse("pid:42").tid()).isInstanceOf(IllegalStateException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "vm:blue", "name:", "path:", "pid:", "docker:", "thread:", "pid:abc", "pid:0", "pid:-1", "pid:+1",
        "pid:2147483648", "pid:99999999999", "thread:1234", "thread:0/5", "thread:5/0", "thread:5/x", "path:relative",
        "path:run/netns/blue", "docker:-web", "docker:a b", "host:x", "current:x", ".", "..", "name:.", "name:..", "a/b",
        "name:a/b", "name:nt-\0x", "path:/run/netns/\0x", "nt-\ud800", "name:\udc00nt", "name:nt-\ude00\ud83d"})
    void invalidReferencesAreRefusedWithTheValidFormsListed(String text) {
        assertThatThrownBy(() -> NamespaceReference.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid namespace reference").hasMessageContaining(VALID_FORMS);
    }

    @Test
    void aNameLongerThanNameMaxIsRefused() {
        assertThatThrownBy(() -> NamespaceReference.parse("n".repeat(256))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("longer than 255 bytes").hasMessageContaining(VALID_FORMS);
        // NAME_MAX counts bytes: 128 two-byte characters are 256 bytes.
        assertThatThrownBy(() -> NamespaceReference.parse("é".repeat(128))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theMessageSaysWhatIsWrong() {
        assertThatThrownBy(() -> NamespaceReference.parse("vm:blue")).hasMessageContaining("unknown scheme 'vm'");
        assertThatThrownBy(() -> NamespaceReference.parse("pid:0")).hasMessageContaining("positive");
        assertThatThrownBy(() -> NamespaceReference.parse("pid:abc")).hasMessageContaining("'abc' is not a positive number");
        assertThatThrownBy(() -> NamespaceReference.parse("path:relative")).hasMessageContaining("absolute");
        assertThatThrownBy(() -> NamespaceReference.parse("a/b")).hasMessageContaining("contains '/'");
        assertThatThrownBy(() -> NamespaceReference.parse("name:nt-\0x")).hasMessageContaining("NUL")
                .hasMessageContaining("nt-\\0x");
        assertThatThrownBy(() -> NamespaceReference.parse(null)).hasMessageContaining("empty");
        assertThatThrownBy(() -> NamespaceReference.parse("nt-\ud800")).hasMessageContaining("unpaired surrogate");
        assertThat(NamespaceReference.parse("nt-\ud83d\ude00").value()).isEqualTo("nt-\ud83d\ude00");
    }

    @Test
    void theConstructorChecksLikeParse() {
        assertThatThrownBy(() -> new NamespaceReference("pid", "0")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(VALID_FORMS);
        assertThatThrownBy(() -> new NamespaceReference("Name", "blue")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new NamespaceReference("name", null)).isInstanceOf(NullPointerException.class);
    }
}
