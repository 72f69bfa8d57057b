/** The {@code netns} Actuator endpoint, health indicator and Micrometer meters. */
@NullMarked
package dev.netns.spring.boot.actuate;

import org.jspecify.annotations.NullMarked;
