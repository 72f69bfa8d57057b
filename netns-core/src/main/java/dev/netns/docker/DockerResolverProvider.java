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

    /** Loaded only once docker-java was found: the one place here that links to it. */
    private static final class Linked {
        static NamespaceResolver create(NetnsRuntime runtime) {
            return new DockerNamespaceResolver(runtime);
        }
    }
}
