package dev.netns.sample;

import com.github.dockerjava.api.DockerClient;
import dev.netns.NamespaceTemplate;
import dev.netns.sample.docker.ContainerCatalog;
import dev.netns.sample.echo.EchoServers;
import dev.netns.sample.events.NamespaceEventStreams;
import dev.netns.sample.namespaces.HostAddressCheck;
import dev.netns.sample.namespaces.IpCommand;
import dev.netns.sample.namespaces.NamespaceCatalog;
import dev.netns.sample.namespaces.NamespaceInterfaces;
import dev.netns.sample.namespaces.NamespaceLifecycle;
import dev.netns.sample.namespaces.VethLinks;
import dev.netns.sample.probe.ProbeTargets;
import dev.netns.sample.probe.TcpProbe;
import dev.netns.spring.boot.actuate.ReferenceSchemePolicy;
import dev.netns.spring.boot.autoconfigure.NetnsProperties;
import dev.netns.sample.web.BodySizeLimit;
import dev.netns.sample.web.RequestGuard;
import java.net.InetAddress;
import java.time.Clock;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the sample's parts to the starter's {@link NamespaceTemplate}. */
@Configuration(proxyBeanMethods = false)
public class SampleConfiguration {

    @Bean
    IpCommand ipCommand() {
        return new IpCommand();
    }

    @Bean
    VethLinks vethLinks(IpCommand ip) {
        return new VethLinks(ip);
    }

    @Bean
    EchoServers echoServers(NamespaceTemplate template, SampleProperties properties) {
        return new EchoServers(template, properties.getEcho());
    }

    /** Lists with a client of its own, bounded by {@code netns.docker.*}, when Docker references are on. */
    @Bean
    ContainerCatalog containerCatalog(ObjectProvider<DockerClient> docker, NetnsProperties netns) {
        return new ContainerCatalog(docker.getIfAvailable() != null ? ContainerCatalog.listingClient(netns.getDocker()) : null,
                Clock.systemUTC());
    }

    @Bean
    NamespaceCatalog namespaceCatalog(NamespaceTemplate template, ContainerCatalog containers, EchoServers echoServers) {
        return new NamespaceCatalog(template, containers, echoServers);
    }

    @Bean
    NamespaceLifecycle namespaceLifecycle(NamespaceTemplate template, IpCommand ip, VethLinks veths, EchoServers echoServers) {
        return new NamespaceLifecycle(template, ip, veths, new HostAddressCheck(template), echoServers);
    }

    @Bean
    NamespaceEventStreams namespaceEventStreams(SampleProperties properties) {
        SampleProperties.Events events = properties.getEvents();
        return new NamespaceEventStreams(events.getMaxSubscribers(), events.getHeartbeat(), events.getTimeout());
    }

    @Bean
    NamespaceInterfaces namespaceInterfaces(NamespaceTemplate template) {
        return new NamespaceInterfaces(template);
    }

    @Bean
    TcpProbe tcpProbe(NamespaceTemplate template, SampleProperties properties) {
        SampleProperties.Probe probe = properties.getProbe();
        return new TcpProbe(template, new ProbeTargets(template, probe.getAllowedNetworks()), probe.getTimeout());
    }

    /**
     * The reference schemes the API serves, {@code sample.api.reference-schemes}. The Actuator's
     * detail of one namespace is served on the API's port, so the starter's {@code netns} endpoint
     * takes this policy too (the starter's own, from {@code netns.endpoint.reference-schemes}, backs
     * off): both serve the same schemes, and {@code /actuator/netns/path:/etc/shadow} opens nothing.
     */
    @Bean
    ReferenceSchemePolicy referenceSchemePolicy(NamespaceTemplate template, SampleProperties properties) {
        return new ReferenceSchemePolicy(template, properties.getApi().getReferenceSchemes(), "sample.api.reference-schemes");
    }

    /** First of all filters: a request for another host or a cross-origin write goes no further. */
    @Bean
    FilterRegistrationBean<RequestGuard> requestGuard(SampleProperties properties, ServerProperties server) {
        InetAddress bound = server.getAddress();
        FilterRegistrationBean<RequestGuard> registration = new FilterRegistrationBean<>(
                new RequestGuard(properties.getHttp().getAllowedHosts(), bound != null ? bound.getHostAddress() : null));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    FilterRegistrationBean<BodySizeLimit> bodySizeLimit(SampleProperties properties) {
        FilterRegistrationBean<BodySizeLimit> registration = new FilterRegistrationBean<>(
                new BodySizeLimit(properties.getHttp().getMaxBodySize().toBytes()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /**
     * Request bodies are read strictly: an unknown field is an error (a typo is not silently
     * ignored), a key given twice is an error (not "the last one wins"), a number is not a string
     * ({@code {"name": 123}} does not create "123"), and a string or a fraction is not a whole
     * number ({@code {"port": "7"}} and {@code {"port": 0.9}} are refused, not read as 7 and 0).
     */
    @Bean
    JsonMapperBuilderCustomizer strictRequestBodies() {
        return builder -> builder.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .withCoercionConfig(LogicalType.Textual, config -> config
                        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .withCoercionConfig(LogicalType.Integer, config -> config
                        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail));
    }

    /** References travel URL-encoded in paths ({@code path%3A%2Frun%2Fnetns%2Fblue}): let Tomcat pass "%2F" on. */
    @Bean
    TomcatConnectorCustomizer encodedSlashesInReferences() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }
}
