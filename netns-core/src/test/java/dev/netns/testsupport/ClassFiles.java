package dev.netns.testsupport;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The compiled classes of netns-core (its {@code target/classes}), read as files. */
public final class ClassFiles {

    private ClassFiles() {
    }

    /** The directory the library's classes were loaded from. */
    public static Path root() {
        try {
            Path root = Path.of(dev.netns.Netns.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isDirectory(root)) {
                throw new IllegalStateException("netns-core's classes are in " + root + ", not in a directory");
            }
            return root;
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every class file under the root, as {@code dev/netns/Netns.class}-style relative paths, sorted. */
    public static List<String> all() {
        Path root = root();
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(file -> file.toString().endsWith(".class"))
                    .map(file -> root.relativize(file).toString().replace('\\', '/')).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The text constants of a class file's constant pool: class and member names, descriptors and
     * signatures ({@code Ldev/netns/NsHandle;}), string literals (what {@code Class.forName} would
     * be given). Everything the class refers to is named there.
     */
    public static List<String> textConstants(String classFile) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(root().resolve(classFile))))) {
            if (in.readInt() != 0xCAFEBABE) {
                throw new IllegalStateException(classFile + " is not a class file");
            }
            in.readUnsignedShort(); // minor version
            in.readUnsignedShort(); // major version
            int count = in.readUnsignedShort();
            List<String> texts = new ArrayList<>();
            for (int index = 1; index < count; index++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> texts.add(in.readUTF()); // Utf8: u2 length + modified UTF-8, as readUTF reads it
                    case 7, 8, 16, 19, 20 -> in.skipBytes(2); // Class, String, MethodType, Module, Package
                    case 15 -> in.skipBytes(3); // MethodHandle
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4); // Integer, Float, refs, NameAndType, (Invoke)Dynamic
                    case 5, 6 -> { // Long, Double take two entries
                        in.skipBytes(8);
                        index++;
                    }
                    default -> throw new IllegalStateException(classFile + ": unknown constant pool tag " + tag);
                }
            }
            return texts;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
