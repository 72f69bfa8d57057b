package dev.netns.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.netns.DefaultNamespaceResolver;
import dev.netns.NamespaceTemplate;
import dev.netns.NamespaceUnavailableException;
import dev.netns.spring.boot.actuate.DockerEngineProbe;
import dev.netns.spring.boot.actuate.NetnsEndpoint;
import dev.netns.spring.boot.actuate.NetnsHealthIndicator;
import dev.netns.spring.nodocker.WithoutDockerJavaApplication;
import dev.netns.testsupport.ChildJvm;
import dev.netns.testsupport.Commands;
import dev.netns.testsupport.ProbeLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An application that leaves docker-java out (the README's exclusions) starts with everything
 * but Docker, and a {@code docker:} reference fails saying which artifacts to add.
 */
class NetnsWithoutDockerJavaTests {

    private static final String[] DOCKER_JAVA_ARTIFACTS = {"com.github.docker-java:docker-java-core",
        "docker-java-transport-zerodep"};

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NetnsAutoConfiguration.class, NetnsDockerAutoConfiguration.class,
                    NetnsEndpointAutoConfiguration.class, NetnsMetricsAutoConfiguration.class, EndpointAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader("com.github.dockerjava"))
            .withPropertyValues("netns.namespaces.web=docker:web", "management.endpoints.web.exposure.include=netns");

    @Test
    void theStarterStartsWithoutDockerJavaAndADockerReferenceNamesTheArtifactsToAdd() {
        contextRunner.run(context -> {
            assertThat(context).hasNotFailed()
                    .hasSingleBean(NamespaceTemplate.class).hasSingleBean(DefaultNamespaceResolver.class)
                    .hasSingleBean(NetnsEndpoint.class).hasSingleBean(NetnsHealthIndicator.class)
                    .doesNotHaveBean(DockerEngineProbe.class).doesNotHaveBean("dockerNamespaceResolver")
                    .doesNotHaveBean(NetnsDockerAutoConfiguration.CLIENT_BEAN);
            NamespaceTemplate template = context.getBean(NamespaceTemplate.class);
            assertThat(template.resolver().schemes()).doesNotContain("docker");
            assertThatThrownBy(() -> template.resolve("web")).isInstanceOf(NamespaceUnavailableException.class)
                    .hasMessageContainingAll(DOCKER_JAVA_ARTIFACTS);
            assertThatThrownBy(() -> template.resolve("docker:web")).isInstanceOf(NamespaceUnavailableException.class)
                    .hasMessageContainingAll(DOCKER_JAVA_ARTIFACTS);
            assertThat(context.getBean(NetnsEndpoint.class).netns().aliases().get("web").error())
                    .contains(DOCKER_JAVA_ARTIFACTS);
        });
    }

    @Test
    void withoutDockerJavaTheHealthHasNoDockerDetailAndADockerAliasIsDownOnlyWhenRequired() {
        contextRunner.run(context -> {
            Health health = context.getBean(NetnsHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).doesNotContainKey("docker");
            assertThat(health.getDetails().get("aliases")).asString().contains("status=DOWN")
                    .contains(DOCKER_JAVA_ARTIFACTS);
        });
        contextRunner.withPropertyValues("netns.health.required-aliases=web").run(context -> assertThat(
                context.getBean(NetnsHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.DOWN));
    }

    /**
     * The filtered class loader above only hides docker-java from the conditions; here it is off
     * the class path of a JVM of its own, so a starter class that linked to it would fail there.
     */
    @Test
    void anApplicationStartsWithDockerJavaOffTheClassPath() {
        List<Path> classpath = ChildJvm.classpath().stream()
                .filter(entry -> !entry.toString().contains("/com/github/docker-java/"))
                .toList();
        assertThat(classpath).hasSizeLessThan(ChildJvm.classpath().size());
        Commands.Result result = Commands.run(ChildJvm.command(classpath, List.of(), WithoutDockerJavaApplication.class.getName()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        Map<String, ProbeLines.Outcome> outcomes = ProbeLines.parse(result.output());
        assertThat(outcomes.get("docker-java").outcome()).as(result.output()).isEqualTo("ClassNotFoundException");
        assertThat(outcomes.get("beans")).isEqualTo(new ProbeLines.Outcome("OK", "1 template, 1 resolver, 1 endpoint, 1 health"));
        assertThat(outcomes.get("docker-beans")).isEqualTo(new ProbeLines.Outcome("OK", ""));
        assertThat(outcomes.get("host").ok()).as(result.output()).isTrue();
        assertThat(outcomes.get("docker").outcome()).isEqualTo("NamespaceUnavailableException");
        assertThat(outcomes.get("docker").detail()).contains(DOCKER_JAVA_ARTIFACTS);
        assertThat(outcomes.get("health").detail()).startsWith("UP").doesNotContain("docker={").contains(DOCKER_JAVA_ARTIFACTS);
        assertThat(outcomes.get("endpoint").detail()).contains(DOCKER_JAVA_ARTIFACTS);
        assertThat(result.output()).doesNotContain("NoClassDefFoundError").doesNotContain("ClassNotFoundException: com.github");
    }

    /**
     * Half of docker-java: its API and the zerodep transport, without docker-java-core (one of the
     * README's two exclusions). The application starts without Docker, as without any of it.
     */
    @Test
    void anApplicationStartsWithoutDockerJavaCore() {
        List<Path> classpath = ChildJvm.classpath().stream()
                .filter(entry -> !entry.toString().contains("/com/github/docker-java/docker-java-core/"))
                .toList();
        assertThat(classpath).hasSize(ChildJvm.classpath().size() - 1);
        Commands.Result result = Commands.run(ChildJvm.command(classpath, List.of(), WithoutDockerJavaApplication.class.getName()));
        assertThat(result.exitCode()).as(result.output()).isZero();
        Map<String, ProbeLines.Outcome> outcomes = ProbeLines.parse(result.output());
        assertThat(outcomes.get("docker-beans").detail()).as(result.output())
                .doesNotContain("dockerNamespaceResolver", NetnsDockerAutoConfiguration.CLIENT_BEAN, "netnsDockerEngineProbe");
        assertThat(outcomes.get("docker").outcome()).isEqualTo("NamespaceUnavailableException");
        assertThat(outcomes.get("docker").detail()).contains(DOCKER_JAVA_ARTIFACTS);
        assertThat(result.output()).doesNotContain("NoClassDefFoundError");
    }

    /** Of the starter's classes, only the Docker auto-configuration (guarded by its class conditions) names docker-java. */
    @Test
    void onlyTheDockerAutoConfigurationRefersToDockerJavaOrTheDockerResolver() throws IOException {
        Path classes = Path.of(NetnsAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        List<String> referring = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                String code;
                try (InputStream in = Files.newInputStream(file)) {
                    code = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                }
                if (code.contains("com/github/dockerjava") || code.contains("dev/netns/docker/")) {
                    referring.add(classes.relativize(file).toString());
                }
            }
        }
        assertThat(referring).containsExactlyInAnyOrder("dev/netns/spring/boot/autoconfigure/NetnsDockerAutoConfiguration.class",
                "dev/netns/spring/boot/autoconfigure/NetnsDockerAutoConfiguration$StarterClient.class");
    }
}
