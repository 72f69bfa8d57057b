package dev.netns.spring.boot.actuate;

import dev.netns.NamespaceReference;
import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NetnsRuntime;
import dev.netns.NsHandle;
import dev.netns.spring.boot.autoconfigure.ProcessPrivileges;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of netns. Its details show this JVM's namespace, the run dir of the runtime, the process's privileges, each alias
 * (its reference, whether it is required, UP when it resolves and this process may enter it, else
 * DOWN with the reason) and, with Docker references enabled, whether the Docker engine answers.
 * The health is DOWN only when:
 * <ul>
 * <li>this system has no network namespaces;</li>
 * <li>an alias listed in {@code netns.health.required-aliases} is DOWN;</li>
 * <li>the Docker engine does not answer and a required alias is a {@code docker:} reference.</li>
 * </ul>
 * Any other failing alias, or an unreachable engine no required alias needs, is a detail of an UP
 * health: an alias that is not required does not make the engine it needs required either.
 */
public class NetnsHealthIndicator extends AbstractHealthIndicator {

    private final NetnsRuntime runtime;
    private final NamespaceTemplate template;
    private final @Nullable DockerEngineProbe docker;
    private final Set<String> requiredAliases;
    private final Supplier<ProcessPrivileges> privileges;

    /** The health of the template's runtime. */
    public NetnsHealthIndicator(NamespaceTemplate template, @Nullable DockerEngineProbe docker, Set<String> requiredAliases,
            Supplier<ProcessPrivileges> privileges) {
        this(template.runtime(), template, docker, requiredAliases, privileges);
    }

    /** The health of a runtime, its aliases being the template's. */
    public NetnsHealthIndicator(NetnsRuntime runtime, NamespaceTemplate template, @Nullable DockerEngineProbe docker,
            Set<String> requiredAliases, Supplier<ProcessPrivileges> privileges) {
        super("netns health check failed");
        this.runtime = runtime;
        this.template = template;
        this.docker = docker;
        this.requiredAliases = Set.copyOf(requiredAliases);
        this.privileges = privileges;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean up = true;
        try {
            builder.withDetail("host", String.valueOf(Netns.hostId()));
            builder.withDetail("runDirectory", runtime.runDirectory().toString());
        } catch (RuntimeException e) {
            up = false;
            builder.withDetail("error", e.getMessage());
        }
        ProcessPrivileges process = privileges.get();
        if (process.known()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("uid", process.realUid());
            detail.put("capSysAdmin", process.hasCapSysAdmin());
            detail.put("capSysPtrace", process.hasCapSysPtrace());
            String hint = process.hint();
            if (!hint.isEmpty()) {
                detail.put("hint", hint);
            }
            builder.withDetail("privileges", detail);
        }
        Map<String, Object> aliases = new LinkedHashMap<>();
        boolean dockerNeeded = false;
        for (Map.Entry<String, NamespaceReference> alias : template.aliases().entrySet()) {
            boolean required = requiredAliases.contains(alias.getKey());
            dockerNeeded |= required && alias.getValue().scheme().equals("docker");
            Map<String, Object> detail = describe(alias.getValue(), required, process);
            up &= !required || detail.get("status").equals("UP");
            aliases.put(alias.getKey(), detail);
        }
        builder.withDetail("aliases", aliases);
        if (docker != null) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("required", dockerNeeded);
            try {
                docker.ping();
                detail.put("status", "UP");
            } catch (Exception e) {
                up &= !dockerNeeded;
                detail.put("status", "DOWN");
                detail.put("error", e.getMessage() != null ? e.getMessage() : e.toString());
            }
            builder.withDetail("docker", detail);
        }
        if (up) {
            builder.up();
        } else {
            builder.down();
        }
    }

    private Map<String, Object> describe(NamespaceReference reference, boolean required, ProcessPrivileges process) {
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("reference", reference.toString());
        detail.put("required", required);
        try (NsHandle ns = template.resolver().resolve(reference)) {
            detail.put("namespace", String.valueOf(ns.id()));
            if (process.known() && !process.hasCapSysAdmin()) {
                detail.put("status", "DOWN");
                detail.put("error", "It cannot be entered: changing namespaces needs CAP_SYS_ADMIN, which this process"
                        + " lacks (" + process.describe() + ")");
            } else {
                detail.put("status", "UP");
            }
        } catch (RuntimeException e) {
            detail.put("status", "DOWN");
            detail.put("error", e.getMessage() != null ? e.getMessage() : e.toString());
        }
        return detail;
    }
}
