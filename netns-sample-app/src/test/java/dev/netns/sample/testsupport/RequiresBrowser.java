package dev.netns.sample.testsupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test drives Debian's Chromium through Debian's chromedriver ({@code /usr/bin/chromium},
 * {@code /usr/bin/chromedriver}; {@code scripts/setup-test-env.sh} installs both). Without them it
 * is skipped with the reason printed, unless {@code -Dnetns.test.require-privileges=true}, which
 * turns the skip into a failure.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(BrowserCondition.class)
public @interface RequiresBrowser {
}
