/**
 * Non-API internals of netns: JNA bindings, errno translation, procfs helpers, the handle
 * registry. Nothing here is stable; use {@link dev.netns.Netns} and friends instead.
 */
@NullMarked
package dev.netns.internal;

import org.jspecify.annotations.NullMarked;
