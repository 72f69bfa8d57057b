package dev.netns.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/** With Actuator's defaults the netns endpoint is not reachable over HTTP: it must be exposed on purpose. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        classes = NetnsEndpointNotExposedByDefaultTest.DefaultApplication.class, properties = "server.address=127.0.0.1")
class NetnsEndpointNotExposedByDefaultTest {

    @LocalServerPort
    int port;

    @Test
    void theNetnsEndpointIsNotExposedOverHttpByDefault() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (String path : new String[] {"/actuator/netns", "/actuator/netns/host"}) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(404);
        }
        HttpResponse<String> links = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(links.body()).contains("health").doesNotContain("netns");
    }

    @SpringBootApplication
    static class DefaultApplication {
    }
}
