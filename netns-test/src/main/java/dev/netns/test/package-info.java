/**
 * JUnit 5 support for tests of code that uses network namespaces: {@link dev.netns.test.TempNamespace}
 * (a fresh named namespace per test, deleted afterwards), {@link dev.netns.test.EnabledIfNetnsPrivileged}
 * and {@link dev.netns.test.NetnsAssertions}.
 */
@NullMarked
package dev.netns.test;

import org.jspecify.annotations.NullMarked;
