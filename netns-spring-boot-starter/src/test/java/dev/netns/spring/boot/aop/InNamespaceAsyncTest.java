package dev.netns.spring.boot.aop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamespaceId;
import dev.netns.Netns;
import dev.netns.internal.Syscalls;
import dev.netns.testsupport.Commands;
import dev.netns.test.EnabledIfNetnsPrivileged;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * An {@code @InNamespace} method returning a {@code CompletableFuture}: the future the caller gets
 * completes at home, even when the method's own future is completed by a thread inside the
 * namespace, so the caller's stages (sync or {@code *Async} without an executor) run at home.
 */
@EnabledIfNetnsPrivileged
// Closed after the class: a cached context's executors would keep their namespaces (and handles) open.
@DirtiesContext
@SpringBootTest(classes = InNamespaceAsyncTest.TestApplication.class)
class InNamespaceAsyncTest {

    static final String NAME = "nt-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @Autowired
    Probe probe;

    @BeforeAll
    static void createNamespace() {
        Commands.check("ip", "netns", "add", NAME);
    }

    @AfterAll
    static void deleteNamespace() {
        Commands.run(List.of("ip", "netns", "del", NAME));
    }

    @DynamicPropertySource
    static void aliases(DynamicPropertyRegistry registry) {
        registry.add("netns.namespaces.inside", () -> "name:" + NAME);
    }

    static NamespaceId here() {
        return Syscalls.idOf("/proc/thread-self/ns/net", null);
    }

    @Test
    void stagesOnAnInNamespaceFutureRunAtHome() throws Exception {
        NamespaceId host = Netns.hostId();
        for (int round = 0; round < 10; round++) {
            CountDownLatch attached = new CountDownLatch(1);
            CompletableFuture<NamespaceId> result = probe.later(attached);
            CompletableFuture<NamespaceId> thenApply = result.thenApply(inside -> here());
            CompletableFuture<NamespaceId> thenApplyAsync = result.thenApplyAsync(inside -> here());
            attached.countDown();
            assertThat(result.get(30, TimeUnit.SECONDS)).isNotEqualTo(host);
            assertThat(thenApply.get(30, TimeUnit.SECONDS)).isEqualTo(host);
            assertThat(thenApplyAsync.get(30, TimeUnit.SECONDS)).isEqualTo(host);
        }
    }

    @SpringBootApplication
    static class TestApplication {

        @Bean
        Probe probe() {
            return new Probe();
        }
    }

    /** Its future is completed by a thread it starts inside the namespace, once the caller has attached its stages. */
    static class Probe {

        @InNamespace("inside")
        public CompletableFuture<NamespaceId> later(CountDownLatch attached) {
            CompletableFuture<NamespaceId> future = new CompletableFuture<>();
            Thread completer = new Thread(() -> {
                try {
                    attached.await();
                    Thread.sleep(5);
                    future.complete(here());
                } catch (InterruptedException e) {
                    future.completeExceptionally(e);
                }
            }, "nt-inside-completer");
            completer.start();
            return future;
        }
    }
}
