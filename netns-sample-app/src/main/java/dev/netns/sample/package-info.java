/** The netns sample application: its entry point and configuration. */
@NullMarked
package dev.netns.sample;

import org.jspecify.annotations.NullMarked;
