package dev.netns.spring.boot.aop;

import dev.netns.NamespaceExecutionException;
import dev.netns.NamespaceTemplate;
import java.lang.reflect.Method;
import java.lang.reflect.UndeclaredThrowableException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringValueResolver;

/** Runs an {@link InNamespace} method through the {@link NamespaceTemplate}. */
class InNamespaceInterceptor implements MethodInterceptor {

    private final Supplier<NamespaceTemplate> template;
    private final @Nullable StringValueResolver placeholders;
    private final ConcurrentHashMap<Method, String> references = new ConcurrentHashMap<>();

    InNamespaceInterceptor(Supplier<NamespaceTemplate> template, @Nullable StringValueResolver placeholders) {
        this.template = template;
        this.placeholders = placeholders;
    }

    @Override
    public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
        Class<?> targetClass = invocation.getThis() != null ? AopUtils.getTargetClass(invocation.getThis()) : null;
        Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
        String reference = references.computeIfAbsent(method, m -> reference(m, targetClass));
        Class<?> returnType = invocation.getMethod().getReturnType();
        if (CompletionStage.class.isAssignableFrom(returnType)) {
            CompletableFuture<CompletionStage<?>> outer = template.get().submit(reference,
                    ns -> (CompletionStage<?>) proceed(invocation));
            // Both the outer future and the method's own stage complete at home, whichever thread
            // completes the stage inside: the caller's dependent stages never run in the namespace.
            CompletableFuture<Object> result = outer.thenCompose(stage -> stage != null
                    ? NamespaceTemplate.atHome(stage).thenApply(value -> (Object) value)
                    : CompletableFuture.completedFuture(null));
            return result;
        }
        try {
            return template.get().execute(reference, ns -> proceed(invocation));
        } catch (NamespaceExecutionException e) {
            // The method's own checked exception, thrown as it was declared.
            throw e.getCause() != null && !(e.getCause() instanceof InterruptedException) ? e.getCause() : e;
        }
    }

    private static @Nullable Object proceed(MethodInvocation invocation) throws Exception {
        try {
            return invocation.proceed();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new UndeclaredThrowableException(e);
        }
    }

    private String reference(Method method, @Nullable Class<?> targetClass) {
        InNamespace annotation = AnnotatedElementUtils.findMergedAnnotation(method, InNamespace.class);
        if (annotation == null && targetClass != null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(targetClass, InNamespace.class);
        }
        if (annotation == null) {
            annotation = AnnotatedElementUtils.findMergedAnnotation(method.getDeclaringClass(), InNamespace.class);
        }
        if (annotation == null) {
            throw new IllegalStateException("No @InNamespace on " + method);
        }
        String value = placeholders != null ? placeholders.resolveStringValue(annotation.value()) : annotation.value();
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("@InNamespace on " + method + " names no namespace");
        }
        return value;
    }
}
