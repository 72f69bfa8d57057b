package dev.netns.spring.boot.autoconfigure;

import dev.netns.NamedNamespaceEvent;
import dev.netns.NetnsRuntime;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/** Publishes each {@link NamedNamespaceEvent} as an application event ({@link NamedNamespaceEventPublisher}). */
@AutoConfiguration(after = NetnsAutoConfiguration.class)
@ConditionalOnBean(NetnsRuntime.class)
@ConditionalOnBooleanProperty(name = "netns.watch.enabled", matchIfMissing = true)
public class NetnsWatchAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    NamedNamespaceEventPublisher namedNamespaceEventPublisher(NetnsRuntime runtime, ApplicationEventPublisher publisher) {
        return new NamedNamespaceEventPublisher(runtime, publisher);
    }
}
