package dev.netns;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.testsupport.ClassFiles;
import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The public API of netns-core, listed: every public type of the packages {@code module-info}
 * exports, with its public (and, where subclasses may see them, protected) members, against the
 * listing checked in as {@value #LISTING}. A change to the API fails this test until the listing
 * is updated, so that every change is deliberate and shows in review.
 */
class PublicApiTest {

    static final String LISTING = "src/test/resources/public-api.txt";
    private static final String UPDATE = "netns.update-public-api";

    @Test
    void thePublicApiIsTheCheckedInListing() throws IOException {
        List<String> actual = listing();
        Path file = Path.of(LISTING);
        if (Boolean.getBoolean(UPDATE)) {
            Files.writeString(file, String.join("\n", actual) + "\n", StandardCharsets.UTF_8);
        }
        List<String> expected = Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        List<String> added = qualified(actual);
        added.removeAll(qualified(expected));
        List<String> removed = qualified(expected);
        removed.removeAll(qualified(actual));
        if (!actual.equals(expected)) {
            throw new AssertionError("The public API of netns-core differs from " + LISTING + ".\nAdded (or moved):\n  "
                    + String.join("\n  ", added) + "\nRemoved (or moved):\n  " + String.join("\n  ", removed)
                    + "\nIf the change is deliberate, update the listing (mvn -pl netns-core verify -Dtest=PublicApiTest"
                    + " -Dsurefire.failIfNoSpecifiedTests=false -D" + UPDATE + "=true) and commit it with the change.");
        }
    }

    /** The listing's lines with each member after its type ({@code TYPE :: MEMBER}), for a readable difference. */
    private static List<String> qualified(List<String> listing) {
        List<String> lines = new ArrayList<>();
        String type = "";
        for (String line : listing) {
            if (line.startsWith("  ")) {
                lines.add(type + " :: " + line.strip());
            } else {
                type = line;
                lines.add(line);
            }
        }
        return lines;
    }

    @Test
    void theInternalPackageIsNotExported() throws IOException {
        assertThat(exportedPackages()).containsExactlyInAnyOrder("dev.netns", "dev.netns.docker");
    }

    private static List<String> listing() throws IOException {
        Set<String> exported = exportedPackages();
        List<String> lines = new ArrayList<>();
        for (String classFile : ClassFiles.all()) {
            String name = classFile.substring(0, classFile.length() - ".class".length()).replace('/', '.');
            if (name.equals("module-info") || !exported.contains(name.substring(0, Math.max(0, name.lastIndexOf('.'))))) {
                continue;
            }
            Class<?> type = load(name);
            if (isApi(type)) {
                lines.add(header(type));
                members(type).forEach(member -> lines.add("  " + member));
            }
        }
        return lines;
    }

    private static Set<String> exportedPackages() throws IOException {
        try (InputStream in = Files.newInputStream(ClassFiles.root().resolve("module-info.class"))) {
            return ModuleDescriptor.read(in).exports().stream().map(ModuleDescriptor.Exports::source)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, PublicApiTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Public, and reachable: every enclosing type public too; no anonymous, local or synthetic class. */
    private static boolean isApi(Class<?> type) {
        for (Class<?> t = type; t != null; t = t.getEnclosingClass()) {
            if (!Modifier.isPublic(t.getModifiers()) || t.isAnonymousClass() || t.isLocalClass() || t.isSynthetic()) {
                return false;
            }
        }
        return true;
    }

    private static String header(Class<?> type) {
        String kind = type.isAnnotation() ? "@interface" : type.isInterface() ? "interface" : type.isEnum() ? "enum"
                : type.isRecord() ? "record" : "class";
        int modifiers = type.getModifiers() & (Modifier.STATIC | Modifier.FINAL | Modifier.ABSTRACT);
        if (type.isInterface() || type.isEnum() || type.isRecord()) {
            modifiers &= Modifier.STATIC; // implied: abstract interfaces, final enums and records
        }
        StringBuilder line = new StringBuilder(prefix(modifiers)).append(kind).append(' ').append(type.getName())
                .append(typeParameters(type.getTypeParameters()));
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class && !type.isEnum() && !type.isRecord()) {
            line.append(" extends ").append(superclass.getTypeName());
        }
        Type[] interfaces = type.getGenericInterfaces();
        if (interfaces.length > 0) {
            line.append(type.isInterface() ? " extends " : " implements ")
                    .append(Arrays.stream(interfaces).map(Type::getTypeName).collect(Collectors.joining(", ")));
        }
        return line.toString();
    }

    private static List<String> members(Class<?> type) {
        boolean subclassable = !type.isInterface() && !Modifier.isFinal(type.getModifiers()) && !type.isEnum()
                && Arrays.stream(type.getDeclaredConstructors()).anyMatch(PublicApiTest::visible);
        TreeSet<String> members = new TreeSet<>();
        for (Field field : type.getDeclaredFields()) {
            if (!field.isSynthetic() && (Modifier.isPublic(field.getModifiers()) || subclassable && Modifier.isProtected(field.getModifiers()))) {
                members.add(prefix(field.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL))
                        + field.getGenericType().getTypeName() + " " + field.getName());
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (!constructor.isSynthetic() && (Modifier.isPublic(constructor.getModifiers())
                    || subclassable && Modifier.isProtected(constructor.getModifiers()))) {
                members.add(prefix(constructor.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED))
                        + type.getSimpleName() + parameters(constructor));
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (!method.isSynthetic() && !method.isBridge() && (Modifier.isPublic(method.getModifiers())
                    || subclassable && Modifier.isProtected(method.getModifiers()))) {
                int modifiers = method.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED | Modifier.STATIC | Modifier.FINAL
                        | Modifier.ABSTRACT);
                members.add(prefix(modifiers) + (method.isDefault() ? "default " : "") + typeParameters(method.getTypeParameters())
                        + (method.getTypeParameters().length > 0 ? " " : "") + method.getGenericReturnType().getTypeName() + " "
                        + method.getName() + parameters(method));
            }
        }
        return new ArrayList<>(members);
    }

    private static boolean visible(Constructor<?> constructor) {
        return Modifier.isPublic(constructor.getModifiers()) || Modifier.isProtected(constructor.getModifiers());
    }

    private static String parameters(Executable executable) {
        String parameters = Arrays.stream(executable.getGenericParameterTypes()).map(Type::getTypeName)
                .collect(Collectors.joining(", ", "(", ")"));
        Type[] thrown = executable.getGenericExceptionTypes();
        return thrown.length == 0 ? parameters
                : parameters + " throws " + Arrays.stream(thrown).map(Type::getTypeName).collect(Collectors.joining(", "));
    }

    private static String typeParameters(TypeVariable<?>[] variables) {
        if (variables.length == 0) {
            return "";
        }
        return Arrays.stream(variables).map(variable -> variable.getName() + (variable.getBounds().length == 1
                && variable.getBounds()[0] == Object.class ? "" : " extends " + Arrays.stream(variable.getBounds())
                        .map(Type::getTypeName).collect(Collectors.joining(" & ")))).collect(Collectors.joining(", ", "<", ">"));
    }

    private static String prefix(int modifiers) {
        String text = Modifier.toString(modifiers);
        return text.isEmpty() ? "" : text + " ";
    }
}
