package dev.netns.spring.boot.actuate;

import dev.netns.ExecutionEvent;
import dev.netns.ExecutorInfo;
import dev.netns.NamespaceReference;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NetnsRuntime;
import dev.netns.ThreadNamespace;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jspecify.annotations.Nullable;

/**
 * netns meters, all named {@code netns.*}, tagged only with bounded values (the configured alias
 * names, reference kinds, outcomes):
 * <ul>
 * <li>{@code netns.handles.open} (gauge), {@code netns.handles.leaked} (counter): the handles of the runtime;</li>
 * <li>{@code netns.execute} (timer; tags {@code namespace} = alias or {@code other}, {@code kind} = what
 * named the namespace: the reference's scheme ({@code name}, {@code docker}, {@code pid}, {@code thread},
 * {@code path}, {@code host}, {@code current} or an extra resolver's; an alias's is the scheme of the
 * reference it stands for), {@code handle} for a call with a handle, else {@code other};
 * {@code outcome} = {@code success} or {@code error});</li>
 * <li>{@code netns.threads.pinned}, {@code netns.threads.stray}, {@code netns.threads.hung} (pinned threads
 * written off the cap because their callback ran past the hung threshold), {@code netns.executors} (gauges);</li>
 * <li>{@code netns.callbacks.hung} (gauge): callbacks running past the hung threshold now, all namespaces;</li>
 * <li>per alias: {@code netns.executor.threads}, {@code .active}, {@code .queued}, {@code .hung} (gauges) and
 * {@code netns.executor.completed}, {@code .retired} (counters), 0 while its executor is retired.</li>
 * </ul>
 */
public class NetnsMetrics implements MeterBinder {

    private static final String OTHER = "other";

    private final NetnsRuntime runtime;
    private final NamespaceTemplate template;
    private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
    private final Set<String> kinds = new HashSet<>();
    private volatile @Nullable MeterRegistry registry;

    /** The meters of the template and its runtime. */
    public NetnsMetrics(NamespaceTemplate template) {
        this(template.runtime(), template);
    }

    /** The meters of a runtime (handles, leaks) and a template (executors, calls). */
    public NetnsMetrics(NetnsRuntime runtime, NamespaceTemplate template) {
        this.runtime = runtime;
        this.template = template;
        kinds.addAll(NamespaceReference.SCHEMES);
        kinds.add(ExecutionEvent.HANDLE);
        kinds.addAll(template.resolver().schemes());
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("netns.handles.open", runtime, r -> r.openHandles().size())
                .description("Namespace handles open now").baseUnit("handles").register(registry);
        FunctionCounter.builder("netns.handles.leaked", runtime, NetnsRuntime::leakedHandles)
                .description("Namespace handles garbage-collected while open (each was closed then)").baseUnit("handles")
                .register(registry);
        Gauge.builder("netns.threads.pinned", template, t -> t.executors().threadCount())
                .description("Platform threads pinned to namespaces").baseUnit("threads").register(registry);
        Gauge.builder("netns.threads.stray", this, NetnsMetrics::strayThreads)
                .description("Threads outside this JVM's namespace that are not pinned workers").baseUnit("threads")
                .register(registry);
        Gauge.builder("netns.threads.hung", template, t -> t.executors().hungThreadCount())
                .description("Pinned threads written off the cap because their callback ran past the hung threshold")
                .baseUnit("threads").register(registry);
        Gauge.builder("netns.callbacks.hung", template,
                t -> t.executors().executors().stream().mapToInt(ExecutorInfo::hung).sum())
                .description("Callbacks running longer than the hung threshold now").baseUnit("callbacks").register(registry);
        Gauge.builder("netns.executors", template, t -> t.executors().executors().size())
                .description("Live per-namespace executors").baseUnit("executors").register(registry);
        for (String alias : template.aliases().keySet()) {
            Tags tags = Tags.of("namespace", alias);
            executorGauge(registry, "netns.executor.threads", "Threads of the alias's executor", "threads", tags, alias, ExecutorInfo::threads);
            executorGauge(registry, "netns.executor.active", "Threads of the alias's executor running a task", "threads", tags, alias, ExecutorInfo::active);
            executorGauge(registry, "netns.executor.queued", "Tasks waiting in the alias's executor", "tasks", tags, alias, ExecutorInfo::queued);
            executorGauge(registry, "netns.executor.hung", "Callbacks of the alias's executor running past the hung threshold", "callbacks", tags, alias, ExecutorInfo::hung);
            FunctionCounter.builder("netns.executor.completed", this, metrics -> sum(alias, ExecutorInfo::completed))
                    .description("Tasks the alias's executor finished").baseUnit("tasks").tags(tags).register(registry);
            FunctionCounter.builder("netns.executor.retired", this, metrics -> sum(alias, ExecutorInfo::retired))
                    .description("Threads of the alias's executor retired because a task moved them").baseUnit("threads")
                    .tags(tags).register(registry);
        }
        template.addListener(this::record);
    }

    private void executorGauge(MeterRegistry registry, String name, String description, String unit, Tags tags, String alias,
            ToDoubleFunction<ExecutorInfo> value) {
        Gauge.builder(name, this, metrics -> metrics.sum(alias, value)).description(description).baseUnit(unit).tags(tags)
                .register(registry);
    }

    private double sum(String alias, ToDoubleFunction<ExecutorInfo> value) {
        double sum = 0;
        for (ExecutorInfo info : template.executors().executors()) {
            if (info.label().equals(alias)) {
                sum += value.applyAsDouble(info);
            }
        }
        return sum;
    }

    private double strayThreads() {
        try {
            List<ThreadNamespace> threads = Netns.threads();
            return threads.stream().filter(ThreadNamespace::stray).count();
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    private void record(ExecutionEvent event) {
        MeterRegistry meters = registry;
        if (meters == null) {
            return;
        }
        String namespace = event.alias() != null ? event.alias() : OTHER;
        String kind = kinds.contains(event.referenceKind()) ? event.referenceKind() : OTHER;
        String outcome = event.failure() == null ? "success" : "error";
        timers.computeIfAbsent(namespace + '\0' + kind + '\0' + outcome, key -> Timer.builder("netns.execute")
                .description("Callbacks run in namespaces, waiting included")
                .tags("namespace", namespace, "kind", kind, "outcome", outcome).register(meters))
                .record(event.durationNanos(), TimeUnit.NANOSECONDS);
    }
}
