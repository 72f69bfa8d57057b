/** {@code @InNamespace}: run a Spring bean's methods inside a network namespace. */
@NullMarked
package dev.netns.spring.boot.aop;

import org.jspecify.annotations.NullMarked;
