/**
 * netns-core: Linux network namespaces for Java over JNA. {@code dev.netns} is the API and
 * {@code dev.netns.docker} the optional Docker lookups; {@code dev.netns.internal} (JNA bindings,
 * errno, procfs) is not exported. JNA needs no reflective access: the bindings are direct-mapped
 * ({@code Native.register}), not {@code Structure}s or proxied interfaces. docker-java is optional
 * ({@code requires static}): on the module path, add its modules to the module graph
 * ({@code --add-modules com.github.dockerjava.core,...} or a {@code requires} of your own) for
 * {@code docker:} references to work.
 */
module dev.netns {
    requires com.sun.jna;
    requires org.slf4j;
    requires static transitive org.jspecify;
    requires static transitive com.github.dockerjava.api;
    requires static com.github.dockerjava.core;
    requires static com.github.dockerjava.transport;
    requires static com.github.dockerjava.transport.zerodep;

    exports dev.netns;
    exports dev.netns.docker;

    uses dev.netns.NamespaceResolverProvider;
    provides dev.netns.NamespaceResolverProvider with dev.netns.docker.DockerResolverProvider;
}
