package dev.netns.docker;

import dev.netns.NamespaceResolver;
import dev.netns.NamespaceResolverProvider;
import dev.netns.NamespaceUnavailableException;
import dev.netns.NetnsRuntime;
import org.jspecify.annotations.Nullable;

/**
 * Serves {@code docker:} references to {@link dev.netns.Netns#fromDocker} and the like, as a
 * {@link NamespaceResolverProvider} (registered in {@code META-INF/services} and the module's
 * {@code provides}): each runtime gets a {@link DockerNamespaceResolver} for {@code DOCKER_HOST} (or
 * the default socket) on first use. docker-java is optional: this class links to none of it, and
 * checks that it is there before anything that does is loaded.
 */
public final class DockerResolverProvider implements NamespaceResolverProvider {

    /** The artifacts to add, for messages. */
    static final String ARTIFACTS = "com.github.docker-java:docker-java-core and"
            + " com.github.docker-java:docker-java-transport-zerodep (3.7.0 or later)";

    private static final String[] REQUIRED_CLASSES = {
        "com.github.dockerjava.api.DockerClient",
        "com.github.dockerjava.core.DockerClientImpl",
        "com.github.dockerjava.zerodep.ZerodepDockerHttpClient",
    };

    /** docker-java's modules (automatic module names), for messages. */
    private static final String[] MODULES = {
        "com.github.dockerjava.api", "com.github.dockerjava.core", "com.github.dockerjava.transport",
        "com.github.dockerjava.transport.zerodep",
    };

    /** Called by {@link java.util.ServiceLoader}. */
    public DockerResolverProvider() {
    }

    @Override
    public String scheme() {
        return DockerNamespaceResolver.SCHEME;
    }

    /**
     * A {@link DockerNamespaceResolver} for {@code DOCKER_HOST} (or the default socket) opening its
     * handles through {@code runtime}.
     *
     * @throws NamespaceUnavailableException naming the artifacts to add when docker-java is missing
     */
    @Override
    public NamespaceResolver create(NetnsRuntime runtime) {
        String missing = missingClass();
        if (missing != null) {
            throw new NamespaceUnavailableException("Docker support needs docker-java on the classpath (" + missing
                    + " is missing); add " + ARTIFACTS);
        }
        String unreadable = unreadableClass();
        if (unreadable != null) {
            throw new NamespaceUnavailableException("Docker support cannot use docker-java: " + unreadable + " is on the class"
                    + " path, which module " + DockerResolverProvider.class.getModule().getName() + " cannot read; put docker-java"
                    + " on the module path and add its modules to the graph (--add-modules " + String.join(",", MODULES) + ")");
        }
        return Linked.create(runtime);
    }

    private static @Nullable String missingClass() {
        ClassLoader loader = DockerResolverProvider.class.getClassLoader();
        for (String name : REQUIRED_CLASSES) {
            try {
                Class.forName(name, false, loader);
            } catch (ClassNotFoundException | LinkageError e) {
                return name;
            }
        }
        return null;
    }

    /**
     * A class of docker-java this module cannot read (a named netns-core with docker-java on the
     * class path: linking to it would throw IllegalAccessError), or null.
     */
    private static @Nullable String unreadableClass() {
        Module self = DockerResolverProvider.class.getModule();
        for (String name : REQUIRED_CLASSES) {
            try {
                if (!self.canRead(Class.forName(name, false, DockerResolverProvider.class.getClassLoader()).getModule())) {
                    return name;
                }
            } catch (ClassNotFoundException | LinkageError e) {
                return null; // missingClass() tells
            }
        }
        return null;
    }

    /** Loaded only once docker-java was found: the one place here that links to it. */
    private static final class Linked {
        static NamespaceResolver create(NetnsRuntime runtime) {
            return new DockerNamespaceResolver(runtime);
        }
    }
}
