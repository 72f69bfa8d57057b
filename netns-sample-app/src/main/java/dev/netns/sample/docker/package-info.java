/** Running Docker containers, listed when an engine answers. */
@NullMarked
package dev.netns.sample.docker;

import org.jspecify.annotations.NullMarked;
