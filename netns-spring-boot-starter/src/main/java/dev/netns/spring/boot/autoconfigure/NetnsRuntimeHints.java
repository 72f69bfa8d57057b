package dev.netns.spring.boot.autoconfigure;

import dev.netns.ExecutorInfo;
import dev.netns.InterfaceAddressInfo;
import dev.netns.NamedNamespaceEvent;
import dev.netns.NetworkInterfaceInfo;
import dev.netns.spring.boot.actuate.NetnsEndpoint;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * Runtime hints for AOT processing and native images, registered through
 * {@code META-INF/spring/aot.factories}: the JNA bindings of netns-core (direct-mapped classes,
 * which {@code Native.register} reads by reflection and binds through JNI, and the JNA types their
 * signatures use), the records the {@code netns} endpoint serialises, the events the starter
 * publishes, and {@link NetnsProperties}. netns-core's bindings use no JNA {@code Structure}. A
 * native image also needs JNA's own JNI metadata (its native library and the callbacks into
 * {@code com.sun.jna.Native}), which JNA does not ship: take it from the GraalVM reachability
 * metadata repository.
 */
public class NetnsRuntimeHints implements RuntimeHintsRegistrar {

    /** netns-core's direct-mapped JNA classes (package-private, hence by name). */
    static final List<String> NATIVE_BINDINGS = List.of("dev.netns.internal.LibC", "dev.netns.internal.WatchLibC",
            "dev.netns.internal.SpawnLibC", "dev.netns.internal.MountApi");

    /** JNA types in the bindings' signatures, which JNA's native code creates or reads through JNI. */
    static final List<String> JNA_TYPES = List.of("com.sun.jna.Pointer", "com.sun.jna.Memory", "com.sun.jna.StringArray",
            "com.sun.jna.Native", "com.sun.jna.NativeLibrary");

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        for (String binding : NATIVE_BINDINGS) {
            TypeReference type = TypeReference.of(binding);
            hints.reflection().registerType(type, MemberCategory.INVOKE_DECLARED_METHODS);
            hints.jni().registerType(type, MemberCategory.INVOKE_DECLARED_METHODS);
        }
        for (String jna : JNA_TYPES) {
            hints.jni().registerType(TypeReference.of(jna), MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
                    MemberCategory.INVOKE_DECLARED_METHODS, MemberCategory.ACCESS_DECLARED_FIELDS);
        }
        BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();
        bindings.registerReflectionHints(hints.reflection(), NetnsEndpoint.NetnsDescriptor.class,
                NetnsEndpoint.NamespaceDescriptor.class, ExecutorInfo.class, NetworkInterfaceInfo.class,
                InterfaceAddressInfo.class, NamedNamespaceEvent.class);
        bindings.registerReflectionHints(hints.reflection(), NetnsProperties.class);
    }
}
