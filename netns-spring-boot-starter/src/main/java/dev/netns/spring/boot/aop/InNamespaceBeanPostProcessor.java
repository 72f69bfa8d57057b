package dev.netns.spring.boot.aop;

import dev.netns.NamespaceTemplate;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.beans.factory.config.EmbeddedValueResolver;

/**
 * Proxies beans that carry {@link InNamespace} (on the class or on a method) so those methods run
 * through the {@link NamespaceTemplate}: a Spring AOP advisor, no AspectJ weaving. The template is
 * looked up on first call, so this post-processor does not initialise it early.
 */
public class InNamespaceBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    private static final long serialVersionUID = 1L;

    private final transient ObjectProvider<NamespaceTemplate> template;

    public InNamespaceBeanPostProcessor(ObjectProvider<NamespaceTemplate> template) {
        this.template = template;
        setBeforeExistingAdvisors(true);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        super.setBeanFactory(beanFactory);
        EmbeddedValueResolver placeholders = beanFactory instanceof ConfigurableBeanFactory configurable
                ? new EmbeddedValueResolver(configurable) : null;
        ComposablePointcut pointcut = new ComposablePointcut(new AnnotationMatchingPointcut(InNamespace.class, true))
                .union(new AnnotationMatchingPointcut(null, InNamespace.class, true));
        this.advisor = new DefaultPointcutAdvisor(pointcut,
                new InNamespaceInterceptor(template::getObject, placeholders));
    }
}
