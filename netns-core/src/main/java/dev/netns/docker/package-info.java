/**
 * Docker containers as namespace references ({@code docker:ID-PREFIX-OR-NAME}) through
 * docker-java, an optional dependency: {@link dev.netns.docker.DockerNamespaceResolver}.
 */
@NullMarked
package dev.netns.docker;

import org.jspecify.annotations.NullMarked;
