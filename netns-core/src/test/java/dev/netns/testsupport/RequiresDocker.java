package dev.netns.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test needs a Docker engine (at {@code DOCKER_HOST} or {@code /var/run/docker.sock}) with the
 * test image that {@code scripts/setup-test-env.sh} imports. Without them it is skipped with the
 * reason printed, unless {@code -Dnetns.test.require-privileges=true}, which turns the skip into a
 * failure.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(DockerCondition.class)
public @interface RequiresDocker {
}
