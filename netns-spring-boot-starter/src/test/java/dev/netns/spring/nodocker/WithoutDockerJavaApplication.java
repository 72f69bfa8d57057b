package dev.netns.spring.nodocker;

import dev.netns.NamespaceResolver;
import dev.netns.NamespaceTemplate;
import dev.netns.NsHandle;
import dev.netns.spring.boot.actuate.NetnsEndpoint;
import dev.netns.spring.boot.actuate.NetnsHealthIndicator;
import dev.netns.testsupport.ProbeLines;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Started in a child JVM whose class path has no docker-java (in a package of its own, out of
 * other test applications' component scan), with a {@code docker:} alias: the application must
 * start, and the alias must say what to add.
 */
@SpringBootApplication
public class WithoutDockerJavaApplication {

    public static void main(String[] args) {
        ProbeLines.print("docker-java", () -> Class.forName("com.github.dockerjava.api.DockerClient"));
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(WithoutDockerJavaApplication.class)
                .web(WebApplicationType.NONE)
                .properties("netns.namespaces.web=docker:web", "management.endpoints.web.exposure.include=netns")
                .run(args)) {
            ProbeLines.print("beans", () -> context.getBeanNamesForType(NamespaceTemplate.class).length + " template, "
                    + context.getBeanNamesForType(NamespaceResolver.class).length + " resolver, "
                    + context.getBeanNamesForType(NetnsEndpoint.class).length + " endpoint, "
                    + context.getBeanNamesForType(NetnsHealthIndicator.class).length + " health");
            ProbeLines.print("docker-beans", () -> Arrays.stream(context.getBeanDefinitionNames())
                    .filter(name -> !name.equals("withoutDockerJavaApplication"))
                    .filter(name -> name.toLowerCase(Locale.ROOT).contains("docker")).collect(Collectors.joining(",")));
            NamespaceTemplate template = context.getBean(NamespaceTemplate.class);
            ProbeLines.print("host", () -> {
                try (NsHandle host = template.resolve("host")) {
                    return host.id();
                }
            });
            ProbeLines.print("docker", () -> {
                try (NsHandle web = template.resolve("web")) {
                    return web;
                }
            });
            ProbeLines.print("health", () -> {
                var health = context.getBean(NetnsHealthIndicator.class).health(true);
                return health.getStatus() + " " + health.getDetails();
            });
            ProbeLines.print("endpoint", () -> context.getBean(NetnsEndpoint.class).netns().aliases());
        }
    }
}
