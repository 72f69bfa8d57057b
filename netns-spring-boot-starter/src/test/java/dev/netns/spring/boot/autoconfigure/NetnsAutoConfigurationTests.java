package dev.netns.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.dockerjava.api.DockerClient;
import dev.netns.DefaultNamespaceResolver;
import dev.netns.ExecutorSettings;
import dev.netns.InvalidNamespaceAliasException;
import dev.netns.NamespaceAliases;
import dev.netns.NamespaceExecutors;
import dev.netns.NamespaceReference;
import dev.netns.NamespaceResolver;
import dev.netns.NamespaceTemplate;
import dev.netns.NsHandle;
import dev.netns.docker.DockerNamespaceResolver;
import dev.netns.spring.boot.actuate.NetnsEndpoint;
import dev.netns.spring.boot.actuate.NetnsHealthIndicator;
import dev.netns.spring.boot.actuate.NetnsMetrics;
import dev.netns.spring.boot.actuate.ReferenceSchemeNotAllowedException;
import dev.netns.spring.boot.actuate.ReferenceSchemePolicy;
import dev.netns.spring.boot.aop.InNamespace;
import dev.netns.spring.boot.aop.InNamespaceBeanPostProcessor;
import dev.netns.spring.boot.aop.InvalidInNamespaceFailureAnalyzerAccess;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class NetnsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NetnsAutoConfiguration.class, NetnsDockerAutoConfiguration.class,
                    NetnsEndpointAutoConfiguration.class, NetnsMetricsAutoConfiguration.class, EndpointAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class));

    @Test
    void templateExecutorsAndResolverAreAutoConfigured() {
        this.contextRunner.withPropertyValues("netns.namespaces.backend=docker:api", "netns.namespaces.blue=blue")
                .run(context -> {
                    assertThat(context).hasSingleBean(NamespaceTemplate.class).hasSingleBean(NamespaceExecutors.class)
                            .hasSingleBean(DefaultNamespaceResolver.class).hasSingleBean(InNamespaceBeanPostProcessor.class);
                    NamespaceTemplate template = context.getBean(NamespaceTemplate.class);
                    assertThat(template.aliases()).containsEntry("backend", new NamespaceReference("docker", "api"))
                            .containsEntry("blue", NamespaceReference.name("blue"));
                    assertThat(template.resolver()).isSameAs(context.getBean(DefaultNamespaceResolver.class));
                    assertThat(template.executors().settings()).isEqualTo(ExecutorSettings.defaults());
                });
    }

    @Test
    void autoConfigurationCanBeDisabled() {
        this.contextRunner.withPropertyValues("netns.enabled=false").run(context -> assertThat(context)
                .doesNotHaveBean(NamespaceTemplate.class).doesNotHaveBean(NamespaceExecutors.class)
                .doesNotHaveBean(DockerNamespaceResolver.class).doesNotHaveBean(NetnsHealthIndicator.class));
    }

    @Test
    void executorSettingsComeFromPropertiesThenCustomizers() {
        this.contextRunner
                .withPropertyValues("netns.executor.threads-per-namespace=3", "netns.executor.max-threads=7",
                        "netns.executor.keep-alive=5s", "netns.executor.queue-capacity=11")
                .withBean(ExecutorSettingsCustomizer.class, () -> settings -> settings.withQueueCapacity(12))
                .run(context -> assertThat(context.getBean(NamespaceExecutors.class).settings())
                        .isEqualTo(new ExecutorSettings(3, 7, Duration.ofSeconds(5), 12)));
    }

    @Test
    void userDefinedBeansTakePrecedence() {
        this.contextRunner.withUserConfiguration(UserBeans.class).run(context -> {
            assertThat(context).hasSingleBean(NamespaceTemplate.class).hasSingleBean(NamespaceExecutors.class);
            assertThat(context.getBean(NamespaceTemplate.class)).isSameAs(context.getBean(UserBeans.class).template);
            assertThat(context.getBean(NamespaceExecutors.class)).isSameAs(context.getBean(UserBeans.class).executors);
        });
    }

    @Test
    void everyResolverBeanServesItsSchemesThroughTheDefaultResolver() {
        this.contextRunner.run(context -> {
            assertThat(context).hasSingleBean(DockerNamespaceResolver.class).hasSingleBean(DockerClient.class);
            assertThat(context.getBean(DefaultNamespaceResolver.class).schemes()).contains("docker", "name", "pid");
        });
        this.contextRunner.withPropertyValues("netns.docker.enabled=false").withBean("custom", NamespaceResolver.class,
                () -> new FixedResolver()).run(context -> {
                    assertThat(context).doesNotHaveBean(DockerNamespaceResolver.class);
                    assertThat(context.getBean(DefaultNamespaceResolver.class).schemes()).contains("docker");
                    assertThat(context.getBean(NamespaceTemplate.class).resolver()).isSameAs(context.getBean(DefaultNamespaceResolver.class));
                });
        this.contextRunner.withBean(NamespaceResolverCustomizer.class, () -> extra -> extra.clear())
                .run(context -> assertThat(context.getBean(DefaultNamespaceResolver.class).schemes()).doesNotContain("docker"));
    }

    @Test
    void dockerSupportBacksOffWithoutDockerJavaOrWhenDisabled() {
        this.contextRunner.withClassLoader(new FilteredClassLoader(DockerClient.class)).run(context -> {
            assertThat(context).hasSingleBean(NamespaceTemplate.class).doesNotHaveBean(DockerNamespaceResolver.class);
            assertThat(context.getBean(DefaultNamespaceResolver.class).schemes()).doesNotContain("docker");
        });
        this.contextRunner.withPropertyValues("netns.docker.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(DockerNamespaceResolver.class).doesNotHaveBean(DockerClient.class));
    }

    @Test
    void invalidPropertiesStopStartUpWithAFailureAnalysis() {
        for (String[] bad : new String[][] {{"netns.executor.max-threads=-1", "netns.executor.max-threads"},
                {"netns.executor.queue-capacity=0", "netns.executor.queue-capacity"},
                {"netns.namespaces.backend=pid:abc", "netns.namespaces.backend"},
                {"netns.namespaces.web=bogus:x", "netns.namespaces.web"},
                {"netns.namespaces.host=name:blue", "netns.namespaces.host"},
                {"netns.namespaces.Current=name:blue", "netns.namespaces.Current"},
                {"netns.run-dir=relative/dir", "netns.run-dir"},
                {"netns.endpoint.reference-schemes=name,file", "netns.endpoint.reference-schemes"}}) {
            this.contextRunner.withPropertyValues(bad[0]).run(context -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = new InvalidNetnsPropertyFailureAnalyzer().analyze(context.getStartupFailure());
                assertThat(analysis).as(bad[0]).isNotNull();
                assertThat(analysis.getDescription()).contains(bad[1]);
                assertThat(analysis.getAction()).contains(bad[1]);
            });
        }
    }

    @Test
    void aliasPropertiesAreRefusedByTheCoreAliasCheckWithItsReason() {
        for (String[] bad : new String[][] {{"HOST", "name:blue"}, {"cUrReNt", "blue"}, {"backend", "pid:-1"}, {"web", "thread:1"}}) {
            String alias = bad[0];
            String reference = bad[1];
            InvalidNamespaceAliasException core = catchThrowableOfType(InvalidNamespaceAliasException.class,
                    () -> NamespaceAliases.of(java.util.Map.of(alias, reference)));
            this.contextRunner.withPropertyValues("netns.namespaces." + alias + "=" + reference).run(context -> {
                assertThat(context).hasFailed();
                Throwable failure = context.getStartupFailure();
                while (failure.getCause() != null) {
                    failure = failure.getCause();
                }
                assertThat(failure).isInstanceOfSatisfying(InvalidNetnsPropertyException.class, refused -> {
                    assertThat(refused.getProperty()).isEqualTo("netns.namespaces." + alias);
                    assertThat(refused.getValue()).isEqualTo(reference);
                    assertThat(refused.getReason()).isEqualTo(core.reason());
                });
            });
        }
    }

    @Test
    void inNamespaceValuesAreCheckedAtStartUpNotAtTheFirstCall() {
        this.contextRunner.withPropertyValues("netns.namespaces.backend=docker:api")
                .withUserConfiguration(GoodInNamespaceBeans.class).run(context -> assertThat(context).hasNotFailed());
        for (Class<?> bad : List.of(UnknownSchemeInNamespaceBean.class, InvalidNameInNamespaceBean.class)) {
            this.contextRunner.withUserConfiguration(bad).run(context -> {
                assertThat(context).as(bad.getSimpleName()).hasFailed();
                FailureAnalysis analysis = new InvalidInNamespaceFailureAnalyzerAccess().analyze(context.getStartupFailure());
                assertThat(analysis).as(bad.getSimpleName()).isNotNull();
                assertThat(analysis.getDescription()).contains("@InNamespace").contains("routes()");
            });
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class GoodInNamespaceBeans {

        @Bean
        AliasedService aliasedService() {
            return new AliasedService();
        }

        @Bean
        NamedService namedService() {
            return new NamedService();
        }
    }

    static class AliasedService {

        @InNamespace("backend")
        public String routes() {
            return "";
        }
    }

    static class NamedService {

        @InNamespace("blue") // not an alias, but a valid reference: a name
        public String routes() {
            return "";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UnknownSchemeInNamespaceBean {

        @Bean
        UnknownSchemeService unknownSchemeService() {
            return new UnknownSchemeService();
        }
    }

    static class UnknownSchemeService {

        @InNamespace("bogus:x")
        public String routes() {
            return "";
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InvalidNameInNamespaceBean {

        @Bean
        InvalidNameService invalidNameService() {
            return new InvalidNameService();
        }
    }

    static class InvalidNameService {

        @InNamespace("name:a/b")
        public String routes() {
            return "";
        }
    }

    @Test
    void endpointIsAvailableOnlyWhenExposed() {
        this.contextRunner.run(context -> assertThat(context).doesNotHaveBean(NetnsEndpoint.class));
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=netns")
                .run(context -> assertThat(context).hasSingleBean(NetnsEndpoint.class));
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=netns", "management.endpoint.netns.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(NetnsEndpoint.class));
    }

    @Test
    void theEndpointServesTheConfiguredReferenceSchemesOrAnApplicationsOwnPolicy() {
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=netns").run(context -> {
            assertThat(context.getBean(ReferenceSchemePolicy.class).schemes()).containsExactly("name", "docker", "host");
            assertThatThrownBy(() -> context.getBean(NetnsEndpoint.class).namespace(new String[] {"path:/etc/shadow"}))
                    .isInstanceOf(ReferenceSchemeNotAllowedException.class).hasMessageContaining("netns.endpoint.reference-schemes");
        });
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=netns",
                "netns.endpoint.reference-schemes=Name, PATH").run(context -> assertThat(
                        context.getBean(ReferenceSchemePolicy.class).schemes()).containsExactly("name", "path"));
        this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=netns")
                .withUserConfiguration(OwnReferenceSchemes.class).run(context -> {
                    assertThat(context).hasSingleBean(ReferenceSchemePolicy.class);
                    assertThatThrownBy(() -> context.getBean(NetnsEndpoint.class).namespace(new String[] {"name:blue"}))
                            .isInstanceOf(ReferenceSchemeNotAllowedException.class).hasMessageContaining("app.schemes");
                });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnReferenceSchemes {

        @Bean
        ReferenceSchemePolicy ownReferenceSchemes(NamespaceTemplate template) {
            return new ReferenceSchemePolicy(template, List.of("docker"), "app.schemes");
        }
    }

    @Test
    void healthIndicatorIsAutoConfiguredAndCanBeDisabled() {
        this.contextRunner.run(context -> assertThat(context).hasSingleBean(NetnsHealthIndicator.class));
        this.contextRunner.withPropertyValues("management.health.netns.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(NetnsHealthIndicator.class));
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(NetnsAutoConfiguration.class, NetnsEndpointAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
                .run(context -> assertThat(context).hasSingleBean(NamespaceTemplate.class).doesNotHaveBean(NetnsHealthIndicator.class));
    }

    @Test
    void metricsNeedARegistryAndCanBeDisabled() {
        this.contextRunner.run(context -> assertThat(context).doesNotHaveBean(NetnsMetrics.class));
        this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .run(context -> assertThat(context).hasSingleBean(NetnsMetrics.class));
        this.contextRunner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).withPropertyValues("netns.metrics.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(NetnsMetrics.class));
        this.contextRunner.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
                .run(context -> assertThat(context).hasSingleBean(NamespaceTemplate.class).doesNotHaveBean(NetnsMetrics.class));
    }

    @Configuration(proxyBeanMethods = false)
    static class UserBeans {

        final NamespaceExecutors executors = new NamespaceExecutors(ExecutorSettings.defaults().withMaxThreads(1));
        final NamespaceTemplate template = new NamespaceTemplate(new DefaultNamespaceResolver(), executors);

        @Bean
        NamespaceExecutors userExecutors() {
            return executors;
        }

        @Bean
        NamespaceTemplate userTemplate() {
            return template;
        }
    }

    /** A stand-in resolver for the {@code docker} scheme; never asked to resolve here. */
    static class FixedResolver implements NamespaceResolver {

        @Override
        public NsHandle resolve(NamespaceReference reference) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<String> schemes() {
            return Set.of("docker");
        }
    }
}
