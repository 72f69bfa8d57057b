package dev.netns.spring.boot.aop;

import dev.netns.NamespaceTemplate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Proxies beans that carry {@link InNamespace} (on the class or on a method) so those methods run
 * through the {@link NamespaceTemplate}: a Spring AOP advisor, no AspectJ weaving. The template is
 * looked up on first call, so this post-processor does not initialise it early; once every
 * singleton exists, each {@code @InNamespace} value seen is checked against it, and a value that
 * is neither an alias nor a valid reference stops start-up ({@link InvalidInNamespaceException}).
 */
public class InNamespaceBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor
        implements SmartInitializingSingleton {

    private static final long serialVersionUID = 1L;

    private final transient ObjectProvider<NamespaceTemplate> template;
    /** Each annotation value seen, with where it was seen. */
    private final transient Map<String, String> values = new ConcurrentHashMap<>();
    private transient @Nullable EmbeddedValueResolver placeholders;

    public InNamespaceBeanPostProcessor(ObjectProvider<NamespaceTemplate> template) {
        this.template = template;
        setBeforeExistingAdvisors(true);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        super.setBeanFactory(beanFactory);
        placeholders = beanFactory instanceof ConfigurableBeanFactory configurable
                ? new EmbeddedValueResolver(configurable) : null;
        ComposablePointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(InNamespace.class, true))
                .union(new AnnotationMatchingPointcut(null, InNamespace.class, true));
        this.advisor = new DefaultPointcutAdvisor(pointcut,
                new InNamespaceInterceptor(template::getObject, placeholders));
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Object result = super.postProcessAfterInitialization(bean, beanName);
        if (result != bean) { // proxied: it carries @InNamespace somewhere
            collect(AopUtils.getTargetClass(bean));
        }
        return result;
    }

    private void collect(Class<?> type) {
        InNamespace onType = AnnotatedElementUtils.findMergedAnnotation(type, InNamespace.class);
        if (onType != null) {
            values.putIfAbsent(onType.value(), type.getName());
        }
        ReflectionUtils.doWithMethods(type, method -> {
            InNamespace onMethod = AnnotatedElementUtils.findMergedAnnotation(method, InNamespace.class);
            if (onMethod != null) {
                values.putIfAbsent(onMethod.value(), type.getName() + "." + method.getName() + "()");
            }
        });
    }

    /**
     * Checks every {@code @InNamespace} value seen: placeholders resolved, it must be an alias of
     * the template or parse as a reference, so a typo stops start-up instead of the first call.
     */
    @Override
    public void afterSingletonsInstantiated() {
        NamespaceTemplate namespaces = template.getIfAvailable();
        if (namespaces == null) {
            return;
        }
        values.forEach((value, annotated) -> {
            try {
                String resolved = placeholders != null ? placeholders.resolveStringValue(value) : value;
                if (resolved == null || resolved.isBlank()) {
                    throw new InvalidInNamespaceException(annotated, value, "it names no namespace");
                }
                namespaces.referenceOf(resolved);
            } catch (IllegalArgumentException e) { // an invalid reference, or an unresolvable placeholder
                throw new InvalidInNamespaceException(annotated, value, e.getMessage());
            }
        });
    }
}
