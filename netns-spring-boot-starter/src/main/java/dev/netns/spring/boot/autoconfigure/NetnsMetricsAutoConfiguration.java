package dev.netns.spring.boot.autoconfigure;

import dev.netns.NamespaceTemplate;
import dev.netns.NetnsRuntime;
import dev.netns.spring.boot.actuate.NetnsMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** netns Micrometer meters ({@link NetnsMetrics}) when a {@link MeterRegistry} exists. */
@AutoConfiguration(after = NetnsAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, NamespaceTemplate.class })
@ConditionalOnBooleanProperty(name = "netns.metrics.enabled", matchIfMissing = true)
public class NetnsMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    NetnsMetrics netnsMetrics(ObjectProvider<NetnsRuntime> runtime, NamespaceTemplate template) {
        return new NetnsMetrics(runtime.getIfAvailable(template::runtime), template);
    }
}
