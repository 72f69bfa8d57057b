/** Named namespaces added and deleted, streamed to the dashboard as server-sent events. */
@NullMarked
package dev.netns.sample.events;

import org.jspecify.annotations.NullMarked;
