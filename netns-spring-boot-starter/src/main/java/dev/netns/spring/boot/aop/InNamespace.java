package dev.netns.spring.boot.aop;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs the annotated method (or every public method of the annotated bean class) inside a network
 * namespace, on a platform thread pinned to it, and hands its result or exception back to the
 * caller. Methods returning {@link java.util.concurrent.CompletableFuture} or
 * {@link java.util.concurrent.CompletionStage} run asynchronously: the caller gets a future at
 * once. Callers may be virtual threads: the method never runs on the caller's thread, so no
 * virtual thread ever changes namespace. Sockets opened in the method stay in the namespace.
 *
 * <pre>{@code
 * @InNamespace("backend")          // an alias from netns.namespaces.*, or a reference
 * public List<String> routes() { ... }
 * }</pre>
 *
 * A method-level annotation wins over the class-level one. Works on Spring beans through a proxy:
 * calls from within the same bean ({@code this.method()}) are not intercepted.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface InNamespace {

    /**
     * An alias ({@code netns.namespaces.<alias>}) or a namespace reference ({@code blue},
     * {@code docker:web}, {@code pid:42}...); {@code ${...}} placeholders are resolved.
     */
    String value();
}
