package dev.netns.sample.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/** A small HTTP client for the sample's API on 127.0.0.1. */
public final class ApiClient {

    public static final ObjectMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** A response: its status, content type and body (an empty object for an empty body). */
    public record Response(int status, String contentType, String text, JsonNode json) {

        /** The body's text at a JSON pointer, or "" when absent. */
        public String at(String pointer) {
            JsonNode node = json.at(pointer);
            return node.isMissingNode() || node.isNull() ? "" : node.asString();
        }
    }

    public String base() {
        return base;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    public Response post(String path, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    /** A POST without a body (and without a content type). */
    public Response post(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    private Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonNode json = text.isBlank() || !text.strip().startsWith("{") && !text.strip().startsWith("[")
                    ? JSON.createObjectNode() : JSON.readTree(text);
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), text, json);
        } catch (IOException e) {
            throw new IllegalStateException("request to " + base + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
