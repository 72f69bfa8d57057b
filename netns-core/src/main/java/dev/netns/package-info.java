/**
 * Linux network namespaces for Java: handles ({@link dev.netns.NsHandle}), the thread-level
 * facade of the Go package ({@link dev.netns.Netns}), named namespaces compatible with
 * {@code ip netns}, the interfaces inside a namespace ({@link dev.netns.NetworkInterfaceInfo}),
 * and typed exceptions.
 */
@NullMarked
package dev.netns;

import org.jspecify.annotations.NullMarked;
