package dev.netns.sample.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.netns.sample.SampleApplication;
import dev.netns.sample.testsupport.ApiClient;
import dev.netns.sample.testsupport.ApiClient.Response;
import dev.netns.test.EnabledIfNetnsPrivileged;
import dev.netns.testsupport.TestNamespaces;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * An operator who turned {@code path:} references on: a namespace file is served, and a file that
 * is not a namespace is a 400 that names it, logged as one line.
 */
@EnabledIfNetnsPrivileged
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(classes = SampleApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "sample.api.reference-schemes=name,docker,host,path")
class SamplePathReferencesServerTest {

    @RegisterExtension
    final TestNamespaces namespaces = new TestNamespaces();

    @LocalServerPort
    int port;

    @Test
    void aNamespaceFileIsServedAndAnyOtherFileIsABadRequest(CapturedOutput output) {
        ApiClient api = new ApiClient(port);
        String name = namespaces.ipNetnsAdd();
        Response byPath = api.get("/api/namespaces/" + encoded("path:/run/netns/" + name) + "/interfaces");
        assertThat(byPath.status()).as(byPath.text()).isEqualTo(200);
        assertThat(byPath.at("/reference")).isEqualTo("path:/run/netns/" + name);
        assertThat(byPath.at("/namespace")).isEqualTo(api.get("/api/namespaces/" + name + "/interfaces").at("/namespace"));

        int before = output.getAll().length();
        Response notANamespace = api.get("/api/namespaces/" + encoded("path:/etc/hostname") + "/interfaces");
        assertThat(notANamespace.status()).as(notANamespace.text()).isEqualTo(400);
        assertThat(notANamespace.contentType()).startsWith("application/problem+json");
        assertThat(notANamespace.at("/detail")).contains("/etc/hostname");
        List<String> logged = List.of(output.getAll().substring(before).split("\n"));
        assertThat(logged).filteredOn(line -> line.contains("/etc/hostname")).hasSize(1);
        assertThat(logged).noneMatch(line -> line.startsWith("\tat "));

        assertThat(api.get("/api/namespaces/" + encoded("pid:1") + "/interfaces").status()).as("pid: stays off").isEqualTo(403);
    }

    private static String encoded(String reference) {
        return URLEncoder.encode(reference, StandardCharsets.UTF_8);
    }
}
