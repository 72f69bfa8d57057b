package dev.netns.sample.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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

    /** A POST from the sample's own origin, as the dashboard sends it. */
    public Response post(String path, String jsonBody) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Origin", base).POST(HttpRequest.BodyPublishers.ofString(jsonBody)));
    }

    /** A POST without a body (and without a content type), from the sample's own origin. */
    public Response post(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Origin", base)
                .POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** A DELETE from the sample's own origin. */
    public Response delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Origin", base).DELETE());
    }

    /** Any request, with exactly the headers given (no Origin unless given). */
    public Response send(String method, String path, Map<String, String> headers, HttpRequest.BodyPublisher body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method, body);
        headers.forEach(request::header);
        return send(request);
    }

    /**
     * A request written by hand on a socket, for headers the JDK's client will not send (a foreign
     * {@code Host}); {@code Connection: close} and {@code Content-Length} are added.
     */
    public Response raw(String method, String path, Map<String, String> headers, String body) {
        int port = Integer.parseInt(base.substring(base.lastIndexOf(':') + 1));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            request.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(bytes);
            out.flush();
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int status = Integer.parseInt(response.substring(9, 12));
            int end = response.indexOf("\r\n\r\n");
            String head = response.substring(0, end);
            String text = response.substring(end + 4);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                text = text.substring(text.indexOf("\r\n") + 2, text.lastIndexOf("\r\n0\r\n"));
            }
            String contentType = "";
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-type:")) {
                    contentType = line.substring(13).strip();
                }
            }
            JsonNode json = text.strip().startsWith("{") ? JSON.readTree(text) : JSON.createObjectNode();
            return new Response(status, contentType, text, json);
        } catch (IOException e) {
            throw new IllegalStateException("request to " + base + " failed: " + e, e);
        }
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
