package io.sluice.function;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Invokes the function under test the way the Lambda service does in Quarkus test mode: the event goes to the
 * mock event server, the real poll loop hands it to the real handler, and the result (or the error the runtime
 * reports, with its {@code errorType}) comes back.
 */
final class LambdaInvoker {

    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The response: {@code ok} with the handler's result, or not with {@code errorType} and {@code errorMessage}. */
    record Invocation(boolean ok, JsonNode body) {
        String errorType() {
            return body.path("errorType").asText();
        }

        String errorMessage() {
            return body.path("errorMessage").asText();
        }
    }

    Invocation invoke(String event) throws Exception {
        int port = ConfigProvider.getConfig().getValue("quarkus.lambda.mock-event-server.test-port", Integer.class);
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/"))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event))
                .build();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
        return new Invocation(response.statusCode() == 200, body);
    }
}
