package dev.netns.sample;

import com.github.dockerjava.api.DockerClient;
import dev.netns.NamespaceTemplate;
import dev.netns.sample.docker.ContainerCatalog;
import dev.netns.sample.echo.EchoServers;
import dev.netns.sample.namespaces.HostAddressCheck;
import dev.netns.sample.namespaces.IpCommand;
import dev.netns.sample.namespaces.NamespaceCatalog;
import dev.netns.sample.namespaces.NamespaceInterfaces;
import dev.netns.sample.namespaces.NamespaceLifecycle;
import dev.netns.sample.namespaces.VethLinks;
import dev.netns.sample.probe.ProbeTargets;
import dev.netns.sample.probe.TcpProbe;
import java.time.Clock;
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

    @Bean
    ContainerCatalog containerCatalog(ObjectProvider<DockerClient> docker) {
        return new ContainerCatalog(docker, Clock.systemUTC());
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
    NamespaceInterfaces namespaceInterfaces(NamespaceTemplate template) {
        return new NamespaceInterfaces(template);
    }

    @Bean
    TcpProbe tcpProbe(NamespaceTemplate template, SampleProperties properties) {
        SampleProperties.Probe probe = properties.getProbe();
        return new TcpProbe(template, new ProbeTargets(template, probe.getAllowedNetworks()), probe.getTimeout());
    }

    /** References travel URL-encoded in paths ({@code path%3A%2Frun%2Fnetns%2Fblue}): let Tomcat pass "%2F" on. */
    @Bean
    TomcatConnectorCustomizer encodedSlashesInReferences() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }
}
