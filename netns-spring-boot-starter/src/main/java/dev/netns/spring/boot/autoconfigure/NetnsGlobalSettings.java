package dev.netns.spring.boot.autoconfigure;

import dev.netns.Netns;
import org.springframework.beans.factory.InitializingBean;

/** Applies the JVM-wide netns settings (run dir, leak logging, stack tracking) from {@link NetnsProperties}. */
public class NetnsGlobalSettings implements InitializingBean {

    private final NetnsProperties properties;

    public NetnsGlobalSettings(NetnsProperties properties) {
        this.properties = properties;
    }

    @Override
    public void afterPropertiesSet() {
        Netns.setRunDirectory(properties.getRunDir());
        Netns.logLeaks(properties.getLeakDetection().isEnabled());
        Netns.trackStackTraces(properties.getLeakDetection().isTrackStackTraces());
    }
}
