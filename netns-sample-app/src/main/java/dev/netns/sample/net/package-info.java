/** IP addresses and networks as the API takes them: strict literals, never name lookups. */
@NullMarked
package dev.netns.sample.net;

import org.jspecify.annotations.NullMarked;
