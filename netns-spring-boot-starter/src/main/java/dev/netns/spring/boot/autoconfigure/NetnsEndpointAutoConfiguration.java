package dev.netns.spring.boot.autoconfigure;

import dev.netns.NamespaceTemplate;
import dev.netns.NetnsRuntime;
import dev.netns.spring.boot.actuate.DockerEngineProbe;
import dev.netns.spring.boot.actuate.NetnsEndpoint;
import dev.netns.spring.boot.actuate.NetnsEndpointWebExtension;
import dev.netns.spring.boot.actuate.NetnsHealthIndicator;
import dev.netns.spring.boot.actuate.ReferenceSchemePolicy;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code netns} Actuator endpoint and the {@code netns} health indicator, each when Actuator allows it. */
@AutoConfiguration(after = { NetnsAutoConfiguration.class, NetnsDockerAutoConfiguration.class })
@ConditionalOnBean(NamespaceTemplate.class)
public class NetnsEndpointAutoConfiguration {

    // The availability conditions sit one class deeper than the class checks: a condition whose
    // class is missing would fail before @ConditionalOnClass could skip it.

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
    static class EndpointConfiguration {

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnAvailableEndpoint(NetnsEndpoint.class)
        static class Available {

            /** The schemes the endpoint's detail serves; an application may supply its own policy. */
            @Bean
            @ConditionalOnMissingBean
            ReferenceSchemePolicy netnsReferenceSchemePolicy(NamespaceTemplate template, ObjectProvider<NetnsProperties> properties) {
                return new ReferenceSchemePolicy(template,
                        properties.getIfAvailable(NetnsProperties::new).getEndpoint().getReferenceSchemes(),
                        "netns.endpoint.reference-schemes");
            }

            @Bean
            @ConditionalOnMissingBean
            NetnsEndpoint netnsEndpoint(ObjectProvider<NetnsRuntime> runtime, NamespaceTemplate template,
                    ReferenceSchemePolicy references) {
                return new NetnsEndpoint(runtime.getIfAvailable(template::runtime), template, references);
            }

            @Bean
            @ConditionalOnMissingBean
            @ConditionalOnBean(NetnsEndpoint.class)
            NetnsEndpointWebExtension netnsEndpointWebExtension(NetnsEndpoint endpoint) {
                return new NetnsEndpointWebExtension(endpoint);
            }
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
    static class HealthConfiguration {

        @Configuration(proxyBeanMethods = false)
        @ConditionalOnEnabledHealthIndicator("netns")
        static class Enabled {

            @Bean
            @ConditionalOnMissingBean(name = "netnsHealthIndicator")
            NetnsHealthIndicator netnsHealthIndicator(ObjectProvider<NetnsRuntime> runtime, NamespaceTemplate template,
                    ObjectProvider<DockerEngineProbe> docker, ObjectProvider<NetnsProperties> properties) {
                Set<String> required = Set.copyOf(properties.getIfAvailable(NetnsProperties::new).getHealth().getRequiredAliases());
                return new NetnsHealthIndicator(runtime.getIfAvailable(template::runtime), template, docker.getIfAvailable(),
                        required, ProcessPrivileges::current);
            }
        }
    }
}
