package dev.netns.spring.boot.actuate;

import dev.netns.NamespaceReference;
import dev.netns.NamespaceTemplate;
import dev.netns.NsHandle;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of netns: UP when every configured alias resolves to a namespace and, with Docker
 * references enabled, the Docker engine answers; DOWN with the detail of each alias otherwise
 * (and on an operating system without network namespaces).
 */
public class NetnsHealthIndicator extends AbstractHealthIndicator {

    private final NamespaceTemplate template;
    private final @Nullable DockerEngineProbe docker;

    public NetnsHealthIndicator(NamespaceTemplate template, @Nullable DockerEngineProbe docker) {
        super("netns health check failed");
        this.template = template;
        this.docker = docker;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean up = true;
        Map<String, Object> aliases = new LinkedHashMap<>();
        for (Map.Entry<String, NamespaceReference> alias : template.aliases().entrySet()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("reference", alias.getValue().toString());
            try (NsHandle ns = template.resolver().resolve(alias.getValue())) {
                detail.put("status", "UP");
                detail.put("namespace", String.valueOf(ns.id()));
            } catch (RuntimeException e) {
                up = false;
                detail.put("status", "DOWN");
                detail.put("error", e.getMessage());
            }
            aliases.put(alias.getKey(), detail);
        }
        builder.withDetail("aliases", aliases);
        if (docker != null) {
            try {
                docker.ping();
                builder.withDetail("docker", "UP");
            } catch (Exception e) {
                up = false;
                builder.withDetail("docker", "DOWN: " + e.getMessage());
            }
        }
        try {
            builder.withDetail("host", String.valueOf(dev.netns.Netns.hostId()));
        } catch (RuntimeException e) {
            up = false;
            builder.withDetail("error", e.getMessage());
        }
        if (up) {
            builder.up();
        } else {
            builder.down();
        }
    }
}
