package dev.netns.spring.boot.autoconfigure;

import dev.netns.DefaultNamespaceResolver;
import dev.netns.ExecutorSettings;
import dev.netns.NamespaceExecutors;
import dev.netns.NamespaceResolver;
import dev.netns.NamespaceTemplate;
import dev.netns.NetnsRuntime;
import dev.netns.spring.boot.aop.InNamespaceBeanPostProcessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Role;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * Auto-configuration of netns: the application context's {@link NetnsRuntime} (its run dir and leak
 * policy, from {@code netns.*}; closed with the context), the namespace resolver (with every other
 * {@link NamespaceResolver} bean as an extra, such as the Docker one), the pinned
 * {@link NamespaceExecutors}, the {@link NamespaceTemplate} with the configured aliases, and
 * {@code @InNamespace} support. Nothing here changes the JVM-wide settings of the static
 * {@code Netns} facade: two contexts in one JVM each have their own.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "netns.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NetnsProperties.class)
public class NetnsAutoConfiguration {

    /** The leak log's advice for turning stack tracking on, naming the property that does it here. */
    static final String TRACK_STACK_TRACES_HINT = "set netns.leak-detection.track-stack-traces=true";

    @Bean
    @ConditionalOnMissingBean
    NetnsRuntime netnsRuntime(NetnsProperties properties) {
        return NetnsRuntime.builder()
                .runDirectory(properties.getRunDir())
                .logLeaks(properties.getLeakDetection().isEnabled())
                .trackStackTraces(properties.getLeakDetection().isTrackStackTraces())
                .trackStackTracesHint(TRACK_STACK_TRACES_HINT)
                .build();
    }

    @Bean
    @Primary
    @ConditionalOnMissingBean(DefaultNamespaceResolver.class)
    DefaultNamespaceResolver netnsNamespaceResolver(NetnsRuntime runtime, ListableBeanFactory beanFactory,
            ObjectProvider<NamespaceResolverCustomizer> customizers) {
        // Every other resolver bean; not through ObjectProvider, which would offer this very bean when there is none.
        List<NamespaceResolver> extra = new ArrayList<>();
        for (String name : beanFactory.getBeanNamesForType(NamespaceResolver.class)) {
            if (!beanFactory.isTypeMatch(name, DefaultNamespaceResolver.class)) {
                extra.add(beanFactory.getBean(name, NamespaceResolver.class));
            }
        }
        AnnotationAwareOrderComparator.sort(extra);
        customizers.orderedStream().forEach(customizer -> customizer.customize(extra));
        return new DefaultNamespaceResolver(runtime, extra);
    }

    @Bean
    @ConditionalOnMissingBean
    NamespaceExecutors netnsNamespaceExecutors(NetnsRuntime runtime, NetnsProperties properties,
            ObjectProvider<ExecutorSettingsCustomizer> customizers) {
        ExecutorSettings settings = properties.toExecutorSettings();
        for (ExecutorSettingsCustomizer customizer : customizers.orderedStream().toList()) {
            settings = customizer.customize(settings);
        }
        return new NamespaceExecutors(runtime, settings);
    }

    @Bean
    @ConditionalOnMissingBean
    NamespaceTemplate namespaceTemplate(NetnsRuntime runtime, NamespaceResolver resolver, NamespaceExecutors executors,
            NetnsProperties properties) {
        return new NamespaceTemplate(runtime, resolver, executors, properties.getNamespaces());
    }

    @Bean
    @ConditionalOnMissingBean
    NetnsStartupCheck netnsStartupCheck(NamespaceTemplate template, NetnsProperties properties) {
        return new NetnsStartupCheck(template, Set.copyOf(properties.getHealth().getRequiredAliases()),
                ProcessPrivileges::current);
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static InNamespaceBeanPostProcessor inNamespaceBeanPostProcessor(ObjectProvider<NamespaceTemplate> template) {
        return new InNamespaceBeanPostProcessor(template);
    }
}
