/** The REST API under /api: controllers, request and response bodies, problem details. */
@NullMarked
package dev.netns.sample.api;

import org.jspecify.annotations.NullMarked;
