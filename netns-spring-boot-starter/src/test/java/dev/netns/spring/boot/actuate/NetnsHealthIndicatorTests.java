package dev.netns.spring.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamespaceTemplate;
import dev.netns.spring.boot.autoconfigure.NetnsAutoConfiguration;
import dev.netns.spring.boot.autoconfigure.NetnsDockerAutoConfiguration;
import dev.netns.spring.boot.autoconfigure.NetnsEndpointAutoConfiguration;
import dev.netns.spring.boot.autoconfigure.ProcessPrivileges;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.TestNamespaces;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The netns health over real namespaces and a real (unreachable) Docker engine address: DOWN only
 * for a required alias, or for an engine that a required {@code docker:} alias needs; everything else is a
 * detail of an UP health.
 */
@EnabledIfNetnsPrivileged
@ExtendWith(OutputCaptureExtension.class)
class NetnsHealthIndicatorTests {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NetnsAutoConfiguration.class, NetnsDockerAutoConfiguration.class,
                    NetnsEndpointAutoConfiguration.class, HealthContributorAutoConfiguration.class))
            .withPropertyValues("netns.docker.host=unix:///nonexistent/nt-docker.sock");

    @Test
    void anAliasWhoseNamespaceIsMissingIsADetailUnlessItIsRequired(CapturedOutput output) {
        String present = namespaces.ipNetnsAdd();
        String missing = namespaces.newName();
        contextRunner.withPropertyValues("netns.namespaces.present=" + present, "netns.namespaces.later=" + missing)
                .run(context -> {
                    Health health = context.getBean(NetnsHealthIndicator.class).health(true);
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(alias(health, "present")).containsEntry("status", "UP").containsEntry("required", false);
                    assertThat(alias(health, "later")).containsEntry("status", "DOWN").containsEntry("required", false);
                    assertThat((String) alias(health, "later").get("error")).contains(missing);
                });
        assertThat(output).containsOnlyOnce("netns alias 'later' (name:" + missing + ") does not resolve now")
                .doesNotContain("netns alias 'present'");
        contextRunner.withPropertyValues("netns.namespaces.present=" + present, "netns.namespaces.later=" + missing,
                "netns.health.required-aliases=later").run(context -> {
                    Health health = context.getBean(NetnsHealthIndicator.class).health(true);
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(alias(health, "later")).containsEntry("status", "DOWN").containsEntry("required", true);
                });
        contextRunner.withPropertyValues("netns.namespaces.present=" + present, "netns.namespaces.later=" + missing,
                "netns.health.required-aliases=present").run(context -> assertThat(
                        context.getBean(NetnsHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.UP));
    }

    @Test
    void aRequiredAliasMustBeAConfiguredOne() {
        contextRunner.withPropertyValues("netns.namespaces.present=host", "netns.health.required-aliases=typo")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("netns.health.required-aliases").hasMessageContaining("'typo' is not an alias"));
    }

    @Test
    void anUnreachableDockerEngineIsDownOnlyWhenARequiredDockerAliasNeedsIt() {
        contextRunner.withPropertyValues("netns.namespaces.self=host").run(context -> {
            Health health = context.getBean(NetnsHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(detail(health, "docker")).containsEntry("status", "DOWN").containsEntry("required", false)
                    .containsKey("error");
        });
        contextRunner.withPropertyValues("netns.namespaces.web=docker:nt-web").run(context -> {
            Health health = context.getBean(NetnsHealthIndicator.class).health(true);
            assertThat(health.getStatus()).as("an optional alias needs the engine").isEqualTo(Status.UP);
            assertThat(detail(health, "docker")).containsEntry("status", "DOWN").containsEntry("required", false);
        });
        contextRunner.withPropertyValues("netns.namespaces.web=docker:nt-web", "netns.health.required-aliases=web").run(context -> {
            Health health = context.getBean(NetnsHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(detail(health, "docker")).containsEntry("status", "DOWN").containsEntry("required", true);
        });
    }

    @Test
    void withoutCapSysAdminEveryAliasSaysItCannotBeEnteredAndThePrivilegesAreShown() {
        String present = namespaces.ipNetnsAdd();
        ProcessPrivileges rootWithoutSysAdmin = ProcessPrivileges.parse("Uid:\t0\t0\t0\t0\nCapEff:\t0000000000080000\n");
        contextRunner.withPropertyValues("netns.namespaces.present=" + present, "netns.docker.enabled=false").run(context -> {
            NetnsHealthIndicator indicator = new NetnsHealthIndicator(context.getBean(NamespaceTemplate.class), null,
                    Set.of("present"), () -> rootWithoutSysAdmin);
            Health health = indicator.health(true);
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) alias(health, "present").get("error")).contains("CAP_SYS_ADMIN", "CapEff 0x80000");
            assertThat(detail(health, "privileges")).containsEntry("capSysAdmin", false).containsEntry("uid", 0);
            assertThat((String) detail(health, "privileges").get("hint")).contains("root but without CAP_SYS_ADMIN");
        });
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> alias(Health health, String alias) {
        return (Map<String, Object>) detail(health, "aliases").get(alias);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> detail(Health health, String name) {
        return (Map<String, Object>) health.getDetails().get(name);
    }
}
