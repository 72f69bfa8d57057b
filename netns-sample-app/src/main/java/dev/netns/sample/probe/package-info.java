/** TCP probes from inside a namespace, and the targets they may reach. */
@NullMarked
package dev.netns.sample.probe;

import org.jspecify.annotations.NullMarked;
