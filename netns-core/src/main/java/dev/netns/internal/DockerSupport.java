package dev.netns.internal;

import dev.netns.NamespaceReference;
import dev.netns.NamespaceUnavailableException;
import dev.netns.NsHandle;
import dev.netns.docker.DockerNamespaceResolver;
import org.jspecify.annotations.Nullable;

/**
 * {@code Netns.fromDocker} without a hard dependency on docker-java: this class checks that
 * docker-java is there before anything touches a class that needs it ({@link Shared} is loaded
 * only then), so {@code Netns} loads and works without it.
 */
public final class DockerSupport {

    /** The artifacts to add, for messages. */
    public static final String ARTIFACTS = "com.github.docker-java:docker-java-core and"
            + " com.github.docker-java:docker-java-transport-zerodep (3.7.0 or later)";

    private static final String[] REQUIRED_CLASSES = {
        "com.github.dockerjava.api.DockerClient",
        "com.github.dockerjava.core.DockerClientImpl",
        "com.github.dockerjava.zerodep.ZerodepDockerHttpClient",
    };

    private DockerSupport() {
    }

    /** Whether docker-java (core and the zerodep transport) is on the classpath. */
    public static boolean available() {
        return missingClass() == null;
    }

    /**
     * Resolves a {@code docker:} reference through the JVM-wide resolver.
     *
     * @throws NamespaceUnavailableException naming the artifacts to add when docker-java is missing
     */
    public static NsHandle resolve(NamespaceReference reference) {
        String missing = missingClass();
        if (missing != null) {
            throw new NamespaceUnavailableException("Cannot resolve '" + reference + "': Docker support needs docker-java on"
                    + " the classpath (" + missing + " is missing); add " + ARTIFACTS);
        }
        return Shared.RESOLVER.resolve(reference);
    }

    private static @Nullable String missingClass() {
        ClassLoader loader = DockerSupport.class.getClassLoader();
        for (String name : REQUIRED_CLASSES) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return name;
            }
        }
        return null;
    }

    /** Holds the JVM-wide resolver; loaded on first use only, after the classpath was checked. */
    private static final class Shared {
        static final DockerNamespaceResolver RESOLVER = new DockerNamespaceResolver();
    }
}
