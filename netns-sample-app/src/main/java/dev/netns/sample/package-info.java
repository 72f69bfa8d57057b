/** The netns sample application. */
@NullMarked
package dev.netns.sample;

import org.jspecify.annotations.NullMarked;
