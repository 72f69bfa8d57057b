package dev.netns.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import org.junit.jupiter.api.Test;

/** docker-java is optional: netns-core must load and explain itself without it. */
class WithoutDockerJavaTest {

    /** Loads dev.netns classes itself and hides docker-java, delegating everything else. */
    private static final class WithoutDockerJava extends ClassLoader {

        WithoutDockerJava(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            synchronized (getClassLoadingLock(name)) {
                if (name.startsWith("com.github.dockerjava.")) {
                    throw new ClassNotFoundException(name + " is hidden by this test");
                }
                if (!name.startsWith("dev.netns.")) {
                    return super.loadClass(name, resolve);
                }
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    try (InputStream bytes = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (bytes == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] code = bytes.readAllBytes();
                        loaded = defineClass(name, code, 0, code.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }

    @Test
    void fromDockerNamesTheArtifactsToAddInsteadOfFailingToLink() throws Exception {
        ClassLoader loader = new WithoutDockerJava(getClass().getClassLoader());
        Class<?> netns = Class.forName("dev.netns.Netns", true, loader);
        assertThat(netns.getClassLoader()).isSameAs(loader);
        Method fromDocker = netns.getMethod("fromDocker", String.class);

        Throwable thrown = catchThrowable(() -> fromDocker.invoke(null, "web"));

        assertThat(thrown).isInstanceOf(InvocationTargetException.class);
        Throwable failure = thrown.getCause();
        assertThat(failure.getClass().getName()).isEqualTo("dev.netns.NamespaceUnavailableException");
        assertThat(failure.getMessage())
                .contains("com.github.docker-java:docker-java-core")
                .contains("docker-java-transport-zerodep");
    }

    @Test
    void theDefaultResolverStillServesTheBuiltInSchemesWithoutDockerJava() throws Exception {
        ClassLoader loader = new WithoutDockerJava(getClass().getClassLoader());
        Class<?> resolverClass = Class.forName("dev.netns.DefaultNamespaceResolver", true, loader);
        Object resolver = resolverClass.getConstructor().newInstance();
        @SuppressWarnings("unchecked")
        java.util.Set<String> schemes = (java.util.Set<String>) resolverClass.getMethod("schemes").invoke(resolver);
        assertThat(schemes).contains("name", "pid", "host").doesNotContain("docker");
    }
}
