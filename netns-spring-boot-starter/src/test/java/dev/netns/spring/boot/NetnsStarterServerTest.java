package dev.netns.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.NamespaceTemplate;
import dev.netns.Netns;
import dev.netns.NetnsRuntime;
import dev.netns.NsHandle;
import dev.netns.spring.boot.actuate.NetnsEndpoint;
import dev.netns.spring.boot.aop.InNamespace;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import dev.netns.testsupport.Commands;
import dev.netns.test.EnabledIfNetnsPrivileged;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The starter in a real application on a random port, over real namespaces: two aliases,
 * {@code @InNamespace} beans, and the Actuator endpoint, health and metrics over HTTP. The
 * operator has turned {@code path:} references on for the endpoint's detail (the defaults are in
 * {@link NetnsEndpointReferenceSchemesServerTest}).
 */
@EnabledIfNetnsPrivileged
// Closed after the class: a cached context's executors would keep their namespaces (and handles) open.
@DirtiesContext
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = NetnsStarterServerTest.TestApplication.class,
        properties = { "management.endpoints.web.exposure.include=health,netns,metrics",
                "management.endpoint.health.show-details=always", "server.address=127.0.0.1",
                "netns.endpoint.reference-schemes=name,docker,host,path" })
class NetnsStarterServerTest {

    private static final String SUFFIX = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    static final String BLUE = "nt-" + SUFFIX;
    static final String GREEN = "nt-" + new StringBuilder(SUFFIX).reverse();

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @Autowired
    BlueProbe blue;

    @Autowired
    GreenProbe green;

    @Autowired
    NamespaceTemplate template;

    @Autowired
    NetnsRuntime runtime;

    @BeforeAll
    static void createNamespaces() {
        Commands.check("ip", "netns", "add", BLUE);
        Commands.check("ip", "netns", "add", GREEN);
        Commands.check("ip", "link", "add", "name", "nt-b0", "netns", BLUE, "type", "veth", "peer", "name", "nt-g0", "netns", GREEN);
        Commands.check("ip", "-n", BLUE, "link", "set", "lo", "up");
        Commands.check("ip", "-n", BLUE, "link", "set", "nt-b0", "up");
        Commands.check("ip", "-n", BLUE, "addr", "add", "10.213.9.1/24", "dev", "nt-b0");
        Commands.check("ip", "-n", BLUE, "addr", "add", "fd00:213:9::1/64", "dev", "nt-b0", "nodad");
    }

    @AfterAll
    static void deleteNamespaces() {
        Commands.run(List.of("ip", "netns", "del", BLUE));
        Commands.run(List.of("ip", "netns", "del", GREEN));
    }

    @DynamicPropertySource
    static void aliases(DynamicPropertyRegistry registry) {
        registry.add("netns.namespaces.blue", () -> "name:" + BLUE);
        registry.add("netns.namespaces.green", () -> GREEN);
        registry.add("test.green-alias", () -> "green");
    }

    static String namespaceOfThisThread() throws IOException {
        String link = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        return link.substring(link.indexOf('[') + 1, link.indexOf(']'));
    }

    static String inodeOf(String name) {
        try (NsHandle ns = Netns.fromName(name)) {
            return Long.toString(ns.id().inode());
        }
    }

    @Test
    void inNamespaceMethodsRunInTheirNamespaceAndReturnTheirResult() throws Exception {
        assertThat(blue.namespace()).isEqualTo(inodeOf(BLUE));
        assertThat(blue.namespaceLater().get(1, TimeUnit.MINUTES)).isEqualTo(inodeOf(GREEN));
        assertThat(green.namespace()).isEqualTo(inodeOf(GREEN));
        assertThat(green.hostNamespace()).isEqualTo(Long.toString(Netns.hostId().inode()));
        IOException failure = new IOException("declared");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> blue.fail(failure))).isSameAs(failure);
        assertThat(namespaceOfThisThread()).isEqualTo(Long.toString(Netns.hostId().inode()));
    }

    @Test
    void netnsEndpointDescribesHandlesExecutorsThreadsAndAliases() throws Exception {
        blue.namespace();
        JsonNode netns = get("/actuator/netns", 200);
        assertThat(netns.get("host").asString()).isEqualTo(Netns.hostId().toString());
        assertThat(netns.at("/aliases/blue/resolved").asBoolean()).isTrue();
        assertThat(netns.at("/aliases/blue/namespace").asString()).endsWith(":" + inodeOf(BLUE));
        assertThat(netns.at("/aliases/green/reference").asString()).isEqualTo("name:" + GREEN);
        List<String> named = new ArrayList<>();
        netns.get("named").forEach(node -> named.add(node.get("name").asString()));
        assertThat(named).contains(BLUE, GREEN);
        List<String> labels = new ArrayList<>();
        netns.get("executors").forEach(node -> labels.add(node.get("label").asString()));
        assertThat(labels).contains("blue");
        netns.get("executors").forEach(node -> assertThat(node.get("hung").asInt()).as("hung callbacks").isZero());
        List<String> sources = new ArrayList<>();
        netns.get("handles").forEach(node -> sources.add(node.get("source").asString()));
        assertThat(sources).contains("executor:blue");
        assertThat(netns.get("threads").size()).isGreaterThanOrEqualTo(2);
        assertThat(netns.get("strayThreads").asLong()).isZero();
        assertThat(netns.has("leakedHandles")).isTrue();
    }

    @Test
    void namespaceDetailListsTheInterfacesInsideExactlyAsIpDoes() throws Exception {
        JsonNode detail = get("/actuator/netns/blue", 200);
        assertThat(detail.get("alias").asString()).isEqualTo("blue");
        assertThat(detail.get("names").get(0).asString()).isEqualTo(BLUE);
        assertThat(interfaces(detail.get("interfaces"), "index", "name", "mtu", "mac", "family", "address", "prefixLength"))
                .isEqualTo(interfaces(JSON.readTree(Commands.check("ip", "-n", BLUE, "-j", "addr")), "ifindex", "ifname", "mtu",
                        "address", "family", "local", "prefixlen"));
        assertThat(get("/actuator/netns/name:" + BLUE, 200).get("namespace").asString()).endsWith(":" + inodeOf(BLUE));
        assertThat(get("/actuator/netns/path:/run/netns/" + BLUE, 200).get("names").get(0).asString()).isEqualTo(BLUE);
        JsonNode missing = get("/actuator/netns/nt-missing00", 404);
        assertThat(missing.get("error").asString()).isEqualTo("Namespace not found");
        assertThat(missing.get("message").asString()).contains("nt-missing00");
        assertThat(missing.get("reference").asString()).isEqualTo("nt-missing00");
        JsonNode malformed = get("/actuator/netns/pid:abc", 400);
        assertThat(malformed.get("error").asString()).isEqualTo("Malformed namespace reference");
        assertThat(malformed.get("message").asString()).contains("abc");
    }

    /** A caller's bad reference is a 400 saying why, not a server error with a stack trace in the log. */
    @Test
    void aFileThatIsNoNamespaceIsABadRequestNotAServerError() throws Exception {
        for (String file : List.of("/etc/hostname", "/proc/self/ns/mnt")) {
            JsonNode refused = get("/actuator/netns/path:" + file, 400);
            assertThat(refused.get("message").asString()).containsAnyOf(file + " is not a namespace file", "not a network one");
            assertThat(refused.get("reference").asString()).isEqualTo("path:" + file);
        }
    }

    @Test
    void lookingAtANamespaceNeitherPinsAnExecutorNorKeepsAHandle() throws Exception {
        String name = "nt-" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        Commands.check("ip", "netns", "add", name);
        try {
            JsonNode detail = get("/actuator/netns/" + name, 200);
            String id = detail.get("namespace").asString();
            assertThat(detail.get("interfaces").get(0).get("name").asString()).isEqualTo("lo");
            assertThat(detail.hasNonNull("executor")).isFalse();
            JsonNode netns = get("/actuator/netns", 200);
            netns.get("executors").forEach(executor -> assertThat(executor.get("namespace").asString()).isNotEqualTo(id));
            netns.get("handles").forEach(handle -> assertThat(handle.get("namespace").asString()).isNotEqualTo(id));
            assertThat(netns.get("strayThreads").asLong()).isZero();
        } finally {
            Commands.run(List.of("ip", "netns", "del", name));
        }
    }

    @Test
    void aNamespaceIdIsWrittenOneWayAndTheHostExecutorIsAlwaysLabelledHost() throws Exception {
        try (NsHandle host = Netns.fromPath("/proc/self/ns/net")) {
            template.execute(host, ns -> null); // first made through a handle: labelled with its id by the core
        }
        blue.namespace();
        JsonNode netns = get("/actuator/netns", 200);
        String id = "\\d+:\\d+";
        assertThat(netns.get("host").asString()).matches(id);
        Map<String, String> labels = new java.util.HashMap<>();
        netns.get("executors").forEach(executor -> {
            assertThat(executor.get("namespace").isString()).as(executor.toString()).isTrue();
            assertThat(executor.get("namespace").asString()).matches(id);
            labels.put(executor.get("namespace").asString(), executor.get("label").asString());
        });
        assertThat(labels).containsEntry(Netns.hostId().toString(), "host").containsEntry(netns.at("/aliases/blue/namespace").asString(), "blue");
        netns.get("handles").forEach(handle -> assertThat(handle.get("namespace").asString()).matches(id));
        netns.get("threads").forEach(group -> assertThat(group.get("namespace").asString()).matches(id));
        netns.get("named").forEach(named -> assertThat(!named.hasNonNull("namespace") || named.get("namespace").asString().matches(id)).isTrue());
    }

    @Test
    void theEndpointOnlyReadsWritesAreRefusedAndNothingIsCreatedOrMoved() throws Exception {
        assertThat(NetnsEndpoint.class.getDeclaredMethods()).filteredOn(method -> java.lang.reflect.Modifier.isPublic(method.getModifiers()))
                .allSatisfy(method -> assertThat(method.isAnnotationPresent(ReadOperation.class)).as(method.getName()).isTrue());
        for (String method : new String[] {"POST", "DELETE", "PUT"}) {
            for (String path : new String[] {"/actuator/netns", "/actuator/netns/nt-created-by-endpoint"}) {
                HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(method + " " + path).isIn(400, 404, 405);
            }
        }
        get("/actuator/netns/nt-created-by-endpoint", 404);
        // Only this test's own names: other runs on the machine may add and delete theirs meanwhile.
        assertThat(Netns.listNamed()).doesNotContain("nt-created-by-endpoint").contains(BLUE, GREEN);
        assertThat(Netns.threads()).filteredOn(dev.netns.ThreadNamespace::stray).isEmpty();
    }

    @Test
    void theEndpointListsTheHandlesOfTheContextsRuntimeWithoutStacksUnlessTracked() throws Exception {
        try (NsHandle own = runtime.fromName(BLUE); NsHandle other = Netns.fromName(GREEN)) {
            Map<Integer, JsonNode> byFd = new java.util.HashMap<>();
            get("/actuator/netns", 200).get("handles").forEach(handle -> byFd.put(handle.get("fd").asInt(), handle));
            assertThat(byFd.get(own.fd()).get("source").asString()).isEqualTo("name:" + BLUE);
            assertThat(byFd.get(own.fd()).hasNonNull("stackTrace")).isFalse();
            assertThat(byFd).as("a handle of the default runtime").doesNotContainKey(other.fd());
        }
    }

    /** Interfaces as comparable text: "index name mtu mac family/address/prefix ..." per interface, sorted. */
    private static List<String> interfaces(JsonNode list, String index, String name, String mtu, String mac, String family,
            String address, String prefix) {
        List<String> lines = new ArrayList<>();
        for (JsonNode link : list) {
            TreeMap<String, String> addresses = new TreeMap<>();
            JsonNode addrs = link.has("addresses") ? link.get("addresses") : link.get("addr_info");
            addrs.forEach(a -> addresses.put(a.get(family).asString() + "/" + a.get(address).asString() + "/" + a.get(prefix).asInt(), ""));
            lines.add(link.get(index).asInt() + " " + link.get(name).asString() + " " + link.get(mtu).asInt() + " "
                    + (link.hasNonNull(mac) ? link.get(mac).asString() : "-") + " " + addresses.keySet());
        }
        lines.sort(null);
        return lines;
    }

    @Test
    void healthHasTheNetnsComponent() throws Exception {
        JsonNode health = get("/actuator/health", 200);
        assertThat(health.at("/components/netns/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/netns/details/aliases/blue/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/netns/details/docker/status").asString()).isEqualTo("UP");
        assertThat(health.at("/components/netns/details/privileges/capSysAdmin").asBoolean()).isTrue();
    }

    @Test
    void metricsListTheNetnsMetersWithValuesThatMoved() throws Exception {
        for (int i = 0; i < 3; i++) {
            blue.namespace();
        }
        List<String> names = new ArrayList<>();
        get("/actuator/metrics", 200).get("names").forEach(node -> names.add(node.asString()));
        assertThat(names).contains("netns.execute", "netns.handles.open", "netns.handles.leaked", "netns.threads.stray",
                "netns.threads.pinned", "netns.executor.threads", "netns.executor.completed");
        JsonNode execute = get("/actuator/metrics/netns.execute?tag=namespace:blue&tag=outcome:success", 200);
        assertThat(statistic(execute, "COUNT")).isGreaterThanOrEqualTo(3);
        // calls other than through an alias are told apart by the kind of reference that named the namespace
        template.execute("name:" + GREEN, ns -> null);
        template.execute("pid:" + ProcessHandle.current().pid(), ns -> null);
        try (NsHandle green = Netns.fromName(GREEN)) {
            template.execute(green, ns -> null);
        }
        assertThat(statistic(get("/actuator/metrics/netns.execute?tag=namespace:other&tag=kind:name", 200), "COUNT")).isPositive();
        assertThat(statistic(get("/actuator/metrics/netns.execute?tag=namespace:other&tag=kind:pid", 200), "COUNT")).isPositive();
        assertThat(statistic(get("/actuator/metrics/netns.execute?tag=namespace:other&tag=kind:handle", 200), "COUNT")).isPositive();
        assertThat(statistic(get("/actuator/metrics/netns.execute?tag=namespace:blue&tag=kind:name", 200), "COUNT")).isPositive();
        List<String> kinds = new ArrayList<>();
        get("/actuator/metrics/netns.execute", 200).get("availableTags").forEach(tag -> {
            if (tag.get("tag").asString().equals("kind")) {
                tag.get("values").forEach(value -> kinds.add(value.asString()));
            }
        });
        assertThat(kinds).isSubsetOf("name", "docker", "pid", "thread", "path", "host", "current", "handle", "other");
        assertThat(statistic(get("/actuator/metrics/netns.handles.open", 200), "VALUE")).isPositive();
        assertThat(statistic(get("/actuator/metrics/netns.executor.completed?tag=namespace:blue", 200), "COUNT"))
                .isGreaterThanOrEqualTo(3);
    }

    private static double statistic(JsonNode metric, String name) {
        for (JsonNode measurement : metric.get("measurements")) {
            if (measurement.get("statistic").asString().equals(name)) {
                return measurement.get("value").asDouble();
            }
        }
        throw new AssertionError("no " + name + " in " + metric);
    }

    private JsonNode get(String path, int status) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET %s: %s", path, response.body()).isEqualTo(status);
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }

    @SpringBootApplication
    static class TestApplication {

        @Bean
        BlueProbe blueProbe() {
            return new BlueProbe();
        }

        @Bean
        GreenProbe greenProbe() {
            return new GreenProbe();
        }
    }

    /** Method-level {@code @InNamespace}, with aliases and a placeholder. */
    static class BlueProbe {

        @InNamespace("blue")
        public String namespace() throws IOException {
            return namespaceOfThisThread();
        }

        @InNamespace("${test.green-alias}")
        public CompletableFuture<String> namespaceLater() throws IOException {
            return CompletableFuture.completedFuture(namespaceOfThisThread());
        }

        @InNamespace("blue")
        public String fail(IOException failure) throws IOException {
            throw failure;
        }
    }

    /** Type-level {@code @InNamespace}; a method-level one wins. */
    @InNamespace("green")
    static class GreenProbe {

        public String namespace() throws IOException {
            return namespaceOfThisThread();
        }

        @InNamespace("host")
        public String hostNamespace() throws IOException {
            return namespaceOfThisThread();
        }
    }
}
