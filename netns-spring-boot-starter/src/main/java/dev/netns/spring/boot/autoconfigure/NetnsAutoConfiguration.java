package dev.netns.spring.boot.autoconfigure;

import dev.netns.DefaultNamespaceResolver;
import dev.netns.ExecutorSettings;
import dev.netns.NamespaceExecutors;
import dev.netns.NamespaceResolver;
import dev.netns.NamespaceTemplate;
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
 * Auto-configuration of netns: the namespace resolver (with every other {@link NamespaceResolver}
 * bean as an extra, such as the Docker one), the pinned {@link NamespaceExecutors}, the
 * {@link NamespaceTemplate} with the configured aliases, and {@code @InNamespace} support.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "netns.enabled", matchIfMissing = true)
@EnableConfigurationProperties(NetnsProperties.class)
public class NetnsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    NetnsGlobalSettings netnsGlobalSettings(NetnsProperties properties) {
        return new NetnsGlobalSettings(properties);
    }

    @Bean
    @Primary
    @ConditionalOnMissingBean(DefaultNamespaceResolver.class)
    DefaultNamespaceResolver netnsNamespaceResolver(NetnsGlobalSettings settings, ListableBeanFactory beanFactory,
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
        return new DefaultNamespaceResolver(extra);
    }

    @Bean
    @ConditionalOnMissingBean
    NamespaceExecutors netnsNamespaceExecutors(NetnsProperties properties, ObjectProvider<ExecutorSettingsCustomizer> customizers) {
        ExecutorSettings settings = properties.toExecutorSettings();
        for (ExecutorSettingsCustomizer customizer : customizers.orderedStream().toList()) {
            settings = customizer.customize(settings);
        }
        return new NamespaceExecutors(settings);
    }

    @Bean
    @ConditionalOnMissingBean
    NamespaceTemplate namespaceTemplate(NetnsGlobalSettings settings, NamespaceResolver resolver, NamespaceExecutors executors,
            NetnsProperties properties) {
        return new NamespaceTemplate(resolver, executors, properties.getNamespaces());
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
