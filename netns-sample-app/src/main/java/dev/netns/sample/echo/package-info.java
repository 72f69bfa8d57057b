/** Small TCP echo servers listening inside namespaces. */
@NullMarked
package dev.netns.sample.echo;

import org.jspecify.annotations.NullMarked;
