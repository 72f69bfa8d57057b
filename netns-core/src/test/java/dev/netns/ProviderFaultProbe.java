package dev.netns;

import dev.netns.testsupport.ProbeLines;

/**
 * Run in a JVM whose class path lists, before netns-core's own Docker provider, providers that are
 * broken in each way a provider can be: {@code docker:} must still be served by the working one.
 */
public final class ProviderFaultProbe {

    private ProviderFaultProbe() {
    }

    public static void main(String[] args) {
        ProbeLines.print("fromDocker", () -> {
            try (NsHandle handle = Netns.fromDocker(args[0])) {
                return handle;
            }
        });
    }

    /** Cannot even be made. */
    public static final class FailingConstructor implements NamespaceResolverProvider {
        public FailingConstructor() {
            throw new IllegalStateException("broken provider: constructor");
        }

        @Override
        public String scheme() {
            return "broken";
        }

        @Override
        public NamespaceResolver create(NetnsRuntime runtime) {
            throw new AssertionError();
        }
    }

    /** Does not say its scheme. */
    public static final class FailingScheme implements NamespaceResolverProvider {
        @Override
        public String scheme() {
            throw new IllegalStateException("broken provider: scheme");
        }

        @Override
        public NamespaceResolver create(NetnsRuntime runtime) {
            throw new AssertionError();
        }
    }

    /** Has no scheme. */
    public static final class NullScheme implements NamespaceResolverProvider {
        @Override
        public String scheme() {
            return null;
        }

        @Override
        public NamespaceResolver create(NetnsRuntime runtime) {
            throw new AssertionError();
        }
    }
}
