/** Spring Boot auto-configuration for netns. */
@NullMarked
package dev.netns.spring.boot.autoconfigure;

import org.jspecify.annotations.NullMarked;
