package dev.netns.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Names as bytes: every byte string lists as a printable name that encodes back to exactly it. */
class NameCodecTest {

    @Test
    void everyByteStringDecodesToANameThatEncodesBackToIt() {
        Random random = new Random(13);
        for (int round = 0; round < 20_000; round++) {
            byte[] name = new byte[1 + random.nextInt(40)];
            for (int i = 0; i < name.length; i++) {
                byte b;
                do {
                    b = (byte) (random.nextInt(4) == 0 ? "\\x5cA".charAt(random.nextInt(5)) : random.nextInt(256));
                } while (b == 0 || b == '/');
                name[i] = b;
            }
            if (name.length <= 2 && new String(name, StandardCharsets.ISO_8859_1).replace(".", "").isEmpty()) {
                continue; // "." and ".." are no names
            }
            String decoded = NameCodec.decode(name);
            assertThat(decoded.codePoints().noneMatch(c -> c >= 0xd800 && c <= 0xdfff)).as("no unpaired surrogate: %s", decoded).isTrue();
            assertThat(NameCodec.encode(decoded)).as("round trip of %s", decoded).isEqualTo(name);
        }
    }

    @Test
    void undecodableBytesAndBackslashesThatLookLikeEscapesAreEscaped() {
        byte[] name = {'n', 't', '-', (byte) 0xff, '\\', 'x', '4', '1', '\\', 'q', (byte) 0xc3, (byte) 0xa9};
        assertThat(NameCodec.charset()).isEqualTo(StandardCharsets.UTF_8); // the test JVM's locale is UTF-8
        assertThat(NameCodec.decode(name)).isEqualTo("nt-\\xff\\x5cx41\\q\u00e9");
        assertThat(NameCodec.encode("nt-\\xff\\x5cx41\\q\u00e9")).isEqualTo(name);
        assertThat(NameCodec.encode("\\x41\\X41\\x4")).isEqualTo("A\\X41\\x4".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void escapesCannotSmuggleSlashesNulOrDirectoryReferences() {
        for (String bad : new String[] {"a\\x2fb", "a\\x00", "\\x2e", "\\x2e\\x2e", "\\x2e.", "x".repeat(254) + "\\xff\\xff"}) {
            assertThatThrownBy(() -> NameCodec.encode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Invalid namespace name");
        }
        assertThat(NameCodec.encode("x".repeat(254) + "\\xff")).hasSize(255);
    }
}
