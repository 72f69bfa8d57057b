package dev.netns.spring.boot.autoconfigure;

import dev.netns.ExecutorSettings;

/** Adjusts the settings of the auto-configured {@link dev.netns.NamespaceExecutors} after the properties applied. */
@FunctionalInterface
public interface ExecutorSettingsCustomizer {

    /** Returns the settings to use, usually a {@code with...} copy of {@code settings}. */
    ExecutorSettings customize(ExecutorSettings settings);
}
