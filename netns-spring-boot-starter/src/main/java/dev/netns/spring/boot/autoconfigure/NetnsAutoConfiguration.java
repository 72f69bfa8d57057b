package dev.netns.spring.boot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;

/** Auto-configuration of netns: the namespace beans arrive with the template issue. */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "netns.enabled", matchIfMissing = true)
public class NetnsAutoConfiguration {
}
