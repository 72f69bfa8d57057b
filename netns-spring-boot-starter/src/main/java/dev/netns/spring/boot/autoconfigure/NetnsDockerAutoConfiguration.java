package dev.netns.spring.boot.autoconfigure;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.netns.NamespaceExecutors;
import dev.netns.NetnsRuntime;
import dev.netns.docker.DockerNamespaceResolver;
import dev.netns.spring.boot.actuate.DockerEngineProbe;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Docker references ({@code docker:NAME}): one {@link DockerClient} serves the
 * {@link DockerNamespaceResolver} (its lookups and its container event stream) and the
 * {@code netns} health indicator. It is the application's {@code DockerClient} bean when there is
 * one, which the application keeps owning, whatever transport made it; otherwise one made from
 * {@code netns.docker.*} (with docker-java-core and the zerodep transport) and closed with the
 * context. Without either there is no Docker resolver, and {@code docker:} references say what to
 * add. The resolver's invalidations retire the executor pinned to a container's old namespace.
 * Nothing connects to the engine until a reference is resolved.
 */
@AutoConfiguration(before = NetnsAutoConfiguration.class)
@ConditionalOnClass(DockerClient.class)
@ConditionalOnBooleanProperty(name = "netns.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "netns.docker.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NetnsProperties.class)
public class NetnsDockerAutoConfiguration {

    /** The name of the client bean made here when the application has none. */
    static final String CLIENT_BEAN = "netnsDockerClient";

    /**
     * Resolves through the {@link DockerClient} bean, opening handles through the context's
     * {@link NetnsRuntime}; closing it (with the context) leaves the client to its owner.
     */
    @Bean
    @ConditionalOnBean(DockerClient.class)
    @ConditionalOnMissingBean
    DockerNamespaceResolver dockerNamespaceResolver(DockerClient client, NetnsRuntime runtime, NetnsProperties properties,
            ObjectProvider<NamespaceExecutors> executors, ListableBeanFactory beans) {
        NetnsProperties.Docker docker = properties.getDocker();
        DockerNamespaceResolver.Builder builder = DockerNamespaceResolver.builder()
                .runtime(runtime)
                .client(client)
                .connectTimeout(docker.getConnectTimeout())
                .responseTimeout(docker.getResponseTimeout());
        if (beans.containsBeanDefinition(CLIENT_BEAN)) {
            // The client is the one made here: its engine is known, for messages.
            builder.dockerHost(StarterClient.dockerHost(docker));
        }
        DockerNamespaceResolver resolver = builder.build();
        resolver.addInvalidationListener(invalidation -> executors.ifAvailable(e -> e.retire(invalidation.namespace())));
        return resolver;
    }

    /**
     * Lets the netns health indicator check that the engine answers, through the resolver (its
     * client, its bound on a request); used only when Actuator is there.
     */
    @Bean
    @ConditionalOnBean(DockerNamespaceResolver.class)
    @ConditionalOnMissingBean
    DockerEngineProbe netnsDockerEngineProbe(DockerNamespaceResolver resolver) {
        return resolver::ping;
    }

    /**
     * The client made when the application has none: docker-java-core with the zerodep transport,
     * in a class of its own so that nothing else here links to them. Registered before the
     * resolver, which looks for a client bean.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ DockerClientImpl.class, ZerodepDockerHttpClient.class })
    static class StarterClient {

        /**
         * The client for the engine at {@code netns.docker.host} (else {@code DOCKER_HOST} or the
         * default socket), with {@code netns.docker.connect-timeout}. It has no response timeout: the
         * event stream is a response that stays open, and the resolver bounds each request by
         * {@code netns.docker.response-timeout} itself. Closed with the context (inferred {@code close()}).
         */
        @Bean(CLIENT_BEAN)
        @ConditionalOnMissingBean
        DockerClient netnsDockerClient(NetnsProperties properties) {
            DefaultDockerClientConfig config = clientConfig(properties.getDocker());
            return DockerClientImpl.getInstance(config, new ZerodepDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost())
                    .sslConfig(config.getSSLConfig())
                    .connectionTimeout(properties.getDocker().getConnectTimeout())
                    .build());
        }

        /** The engine the client made here talks to, for messages. */
        static String dockerHost(NetnsProperties.Docker docker) {
            return clientConfig(docker).getDockerHost().toString();
        }

        private static DefaultDockerClientConfig clientConfig(NetnsProperties.Docker docker) {
            DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder();
            if (docker.getHost() != null) {
                config.withDockerHost(docker.getHost());
            }
            return config.build();
        }
    }
}
