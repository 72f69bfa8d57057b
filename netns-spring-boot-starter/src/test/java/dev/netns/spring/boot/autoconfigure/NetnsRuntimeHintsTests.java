package dev.netns.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.ExecutorInfo;
import dev.netns.InterfaceAddressInfo;
import dev.netns.NamedNamespaceEvent;
import dev.netns.NetworkInterfaceInfo;
import dev.netns.spring.boot.actuate.NetnsEndpoint;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.core.io.support.SpringFactoriesLoader;

class NetnsRuntimeHintsTests {

    private final RuntimeHints hints = new RuntimeHints();

    NetnsRuntimeHintsTests() {
        new NetnsRuntimeHints().registerHints(hints, getClass().getClassLoader());
    }

    @Test
    void theRegistrarIsListedInAotFactories() {
        assertThat(SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories").load(RuntimeHintsRegistrar.class))
                .anyMatch(NetnsRuntimeHints.class::isInstance);
    }

    /** Every class of netns-core's internal package with native methods, found on the classpath, has its hints. */
    @Test
    void everyDirectMappedBindingCanBeReflectedAndBoundThroughJni() throws Exception {
        List<String> bindings = new ArrayList<>();
        for (Resource resource : new PathMatchingResourcePatternResolver().getResources("classpath*:dev/netns/internal/*.class")) {
            String name = "dev.netns.internal." + resource.getFilename().replace(".class", "");
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            if (Arrays.stream(type.getDeclaredMethods()).anyMatch(method -> Modifier.isNative(method.getModifiers()))) {
                bindings.add(name);
            }
        }
        assertThat(bindings).containsExactlyInAnyOrderElementsOf(NetnsRuntimeHints.NATIVE_BINDINGS);
        for (String binding : bindings) {
            TypeReference type = TypeReference.of(binding);
            assertThat(RuntimeHintsPredicates.reflection().onType(type).withMemberCategory(MemberCategory.INVOKE_DECLARED_METHODS))
                    .accepts(hints);
            assertThat(hints.jni().getTypeHint(type)).isNotNull()
                    .satisfies(hint -> assertThat(hint.getMemberCategories()).contains(MemberCategory.INVOKE_DECLARED_METHODS));
        }
        for (String jna : NetnsRuntimeHints.JNA_TYPES) {
            Class.forName(jna, false, getClass().getClassLoader()); // a JNA upgrade that renames one fails here
            assertThat(hints.jni().getTypeHint(TypeReference.of(jna))).isNotNull();
        }
    }

    @Test
    void theRecordsTheEndpointSerialisesCanBeReadByReflection() throws Exception {
        for (Class<?> record : List.of(NetnsEndpoint.NetnsDescriptor.class, NetnsEndpoint.AliasDescriptor.class,
                NetnsEndpoint.NamedDescriptor.class, NetnsEndpoint.HandleDescriptor.class, NetnsEndpoint.NamespaceThreads.class,
                NetnsEndpoint.ThreadDescriptor.class, NetnsEndpoint.NamespaceDescriptor.class,
                NetnsEndpoint.ExecutorDescriptor.class, ExecutorInfo.class, NetworkInterfaceInfo.class, InterfaceAddressInfo.class,
                NamedNamespaceEvent.class)) {
            assertThat(RuntimeHintsPredicates.reflection().onType(record)).as(record.getName()).accepts(hints);
            for (var component : record.getRecordComponents()) {
                Method accessor = component.getAccessor();
                assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(accessor)).as(accessor.toString()).accepts(hints);
            }
        }
    }

    @Test
    void thePropertiesCanBeBoundByReflection() {
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(NetnsProperties.class, "setRunDir")).accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(NetnsProperties.Watch.class, "setEnabled"))
                .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(NetnsProperties.Executor.class, "setKeepAlive"))
                .accepts(hints);
    }
}
