package dev.netns.spring.probe;

import dev.netns.NamespaceExecutors;
import dev.netns.NamespaceTemplate;
import dev.netns.spring.boot.actuate.NetnsHealthIndicator;
import dev.netns.testsupport.ProbeLines;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** Started in a child JVM (in a package of its own, out of other test applications' component scan) that believes it runs on another OS: the application must start anyway. */
@SpringBootApplication
public class NonLinuxApplication {

    public static void main(String[] args) {
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(NonLinuxApplication.class)
                .web(WebApplicationType.NONE).properties("netns.namespaces.blue=name:blue", "netns.docker.enabled=false")
                .run(args)) {
            ProbeLines.print("beans", () -> context.getBeanNamesForType(NamespaceTemplate.class).length + " template, "
                    + context.getBeanNamesForType(NamespaceExecutors.class).length + " executors");
            NamespaceTemplate template = context.getBean(NamespaceTemplate.class);
            ProbeLines.print("execute", () -> template.execute("blue", ns -> "ran"));
            ProbeLines.print("health", () -> {
                var health = context.getBean(NetnsHealthIndicator.class).health(true);
                return health.getStatus() + " " + health.getDetails();
            });
        }
    }
}
