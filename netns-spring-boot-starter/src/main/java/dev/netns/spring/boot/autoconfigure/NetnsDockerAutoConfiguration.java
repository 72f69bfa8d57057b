package dev.netns.spring.boot.autoconfigure;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.netns.NamespaceExecutors;
import dev.netns.NetnsRuntime;
import dev.netns.docker.DockerNamespaceResolver;
import dev.netns.spring.boot.actuate.DockerEngineProbe;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Docker references ({@code docker:NAME}): a {@link DockerClient} unless the application has one,
 * and the {@link DockerNamespaceResolver}, whose invalidations retire the executor pinned to a
 * container's old namespace. Nothing connects to the engine until a reference is resolved.
 */
@AutoConfiguration(before = NetnsAutoConfiguration.class)
@ConditionalOnClass({ DockerClient.class, ZerodepDockerHttpClient.class })
@ConditionalOnBooleanProperty(name = "netns.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "netns.docker.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NetnsProperties.class)
public class NetnsDockerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    DockerClient netnsDockerClient(NetnsProperties properties) {
        NetnsProperties.Docker docker = properties.getDocker();
        DefaultDockerClientConfig.Builder config = DefaultDockerClientConfig.createDefaultConfigBuilder();
        if (docker.getHost() != null) {
            config.withDockerHost(docker.getHost());
        }
        DefaultDockerClientConfig built = config.build();
        return DockerClientImpl.getInstance(built, new ZerodepDockerHttpClient.Builder()
                .dockerHost(built.getDockerHost())
                .sslConfig(built.getSSLConfig())
                .connectionTimeout(docker.getConnectTimeout())
                .responseTimeout(docker.getResponseTimeout())
                .build());
    }

    /** Lets the netns health indicator check that the engine answers; used only when Actuator is there. */
    @Bean
    @ConditionalOnMissingBean
    DockerEngineProbe netnsDockerEngineProbe(DockerClient client) {
        return () -> client.pingCmd().exec();
    }

    @Bean
    @ConditionalOnMissingBean
    DockerNamespaceResolver dockerNamespaceResolver(NetnsProperties properties, NetnsRuntime runtime,
            ObjectProvider<NamespaceExecutors> executors) {
        NetnsProperties.Docker docker = properties.getDocker();
        DockerNamespaceResolver resolver = DockerNamespaceResolver.builder()
                .runtime(runtime)
                .dockerHost(docker.getHost())
                .connectTimeout(docker.getConnectTimeout())
                .responseTimeout(docker.getResponseTimeout())
                .build();
        resolver.addInvalidationListener(invalidation -> executors.ifAvailable(e -> e.retire(invalidation.namespace())));
        return resolver;
    }
}
