/** Named namespaces of the sample: listing, creation with an optional veth pair to the host, deletion. */
@NullMarked
package dev.netns.sample.namespaces;

import org.jspecify.annotations.NullMarked;
