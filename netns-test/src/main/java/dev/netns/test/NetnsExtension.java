package dev.netns.test;

import dev.netns.NamespaceNotFoundException;
import dev.netns.Netns;
import dev.netns.NsHandle;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.opentest4j.TestAbortedException;

/**
 * The JUnit 5 extension behind {@link TempNamespace} (which registers it; {@code @ExtendWith} works
 * too). Static fields get their namespace before the class's tests (so a Spring
 * {@code @DynamicPropertySource} can point an alias at it) and lose it after them; instance fields
 * and parameters get theirs for one test. Each namespace is deleted when its test or class ends,
 * pass or fail, through the extension context's store (JUnit Jupiter 5.13 or later closes
 * {@link AutoCloseable} values).
 *
 * <p>Without CAP_SYS_ADMIN a test class with {@code @TempNamespace} fields, or a test method with
 * such parameters, is skipped with the reason, or fails under
 * {@value NetnsPrivilegeCondition#REQUIRE_PROPERTY}{@code =true}, as {@link EnabledIfNetnsPrivileged}
 * does.
 */
public class NetnsExtension implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(NetnsExtension.class);
    private static final String CREATED = "created";

    /**
     * Skips (or, when privileges are required, fails) a class whose fields, or a test method whose
     * parameters, ask for a {@link TempNamespace} where one cannot be created; anything else runs.
     */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        boolean asks = context.getTestMethod()
                .map(method -> Arrays.stream(method.getParameters()).anyMatch(p -> p.isAnnotationPresent(TempNamespace.class)))
                .orElseGet(() -> context.getTestClass().map(type -> !annotatedFields(type).isEmpty()).orElse(false));
        return asks ? NetnsPrivilegeCondition.evaluate("@TempNamespace in " + context.getDisplayName())
                : ConditionEvaluationResult.enabled("no @TempNamespace here");
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        Class<?> testClass = context.getRequiredTestClass();
        for (Field field : annotatedFields(testClass)) {
            if (Modifier.isStatic(field.getModifiers())) {
                inject(field, null, context);
            }
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field field : annotatedFields(instance.getClass())) {
                if (!Modifier.isStatic(field.getModifiers())) {
                    inject(field, instance, context);
                }
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.isAnnotated(TempNamespace.class);
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        TempNamespace annotation = parameterContext.findAnnotation(TempNamespace.class).orElseThrow();
        Class<?> type = parameterContext.getParameter().getType();
        return create(annotation, type, "parameter " + parameterContext.getParameter().getName(), extensionContext);
    }

    private static List<Field> annotatedFields(Class<?> type) {
        List<Field> fields = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.isAnnotationPresent(TempNamespace.class)) {
                    fields.add(field);
                }
            }
        }
        return fields;
    }

    private static void inject(Field field, @Nullable Object instance, ExtensionContext context) throws IllegalAccessException {
        if (Modifier.isFinal(field.getModifiers())) {
            throw new ExtensionConfigurationException("@TempNamespace field " + field + " must not be final");
        }
        Object value = create(field.getAnnotation(TempNamespace.class), field.getType(), "field " + field.getName(), context);
        field.setAccessible(true);
        field.set(instance, value);
    }

    /** A fresh named namespace, deleted (and its handle closed) when {@code context} closes. */
    private static Object create(TempNamespace annotation, Class<?> type, String target, ExtensionContext context) {
        if (type != String.class && type != NsHandle.class) {
            throw new ExtensionConfigurationException("@TempNamespace " + target + " must be a String (the name) or an"
                    + " NsHandle, not " + type.getName());
        }
        ConditionEvaluationResult privileged = NetnsPrivilegeCondition.evaluate("@TempNamespace " + target);
        if (privileged.isDisabled()) { // asked from a lifecycle method, which no condition guards
            throw new TestAbortedException(privileged.getReason().orElse(""));
        }
        String name = annotation.prefix() + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        NsHandle handle = Netns.newNamed(name);
        context.getStore(STORE).getOrComputeIfAbsent(CREATED, key -> new CreatedList(), CreatedList.class).add(new Created(name, handle));
        if (type == String.class) {
            handle.close();
            return name;
        }
        return handle;
    }

    /** Deletes the method's namespaces as soon as it ends (the store would close them later, too). */
    @Override
    public void afterEach(ExtensionContext context) {
        deleteCreated(context);
    }

    /**
     * Deletes the class's namespaces in its after-all phase, before other extensions' after-all
     * checks registered earlier (leftover checks) run, rather than when the store closes, after them.
     */
    @Override
    public void afterAll(ExtensionContext context) {
        deleteCreated(context);
    }

    private static void deleteCreated(ExtensionContext context) {
        CreatedList created = context.getStore(STORE).remove(CREATED, CreatedList.class);
        if (created != null) {
            created.close();
        }
    }

    /** The namespaces made for one context, deleted in reverse order when it ends. */
    private static final class CreatedList implements AutoCloseable {

        private final List<Created> created = new ArrayList<>();

        synchronized void add(Created namespace) {
            created.add(namespace);
        }

        @Override
        public synchronized void close() {
            RuntimeException failure = null;
            for (int i = created.size() - 1; i >= 0; i--) {
                try {
                    created.get(i).close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            created.clear();
            if (failure != null) {
                throw failure;
            }
        }
    }

    /** A namespace this extension made: closed means its handle closed and its name deleted. */
    private record Created(String name, NsHandle handle) implements AutoCloseable {

        @Override
        public void close() {
            handle.close();
            try {
                Netns.deleteNamed(name);
            } catch (NamespaceNotFoundException e) {
                // the test deleted it itself
            }
        }
    }
}
