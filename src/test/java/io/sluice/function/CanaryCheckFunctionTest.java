package io.sluice.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

@QuarkusTest
@TestProfile(HandlerProfiles.CanaryCheck.class)
class CanaryCheckFunctionTest {

    private final LambdaInvoker lambda = new LambdaInvoker();

    static Stream<Path> sampleEvents() {
        return SampleEvents.forFunction("canary-check").stream();
    }

    @ParameterizedTest
    @MethodSource("sampleEvents")
    void sampleEvent_runsThroughTheRealHandler_andItsCountersOpenTheNextWindow(Path file) throws Exception {
        TestDatabase db = Sluice.migratedDatabase();

        LambdaInvoker.Invocation first = lambda.invoke(SampleEvents.against(file, db));
        ObjectNode next = (ObjectNode) LambdaInvoker.JSON.readTree(SampleEvents.against(file, db));
        next.set("since", first.body().get("counters"));
        LambdaInvoker.Invocation second = lambda.invoke(LambdaInvoker.JSON.writeValueAsString(next));

        assertThat(first.ok()).as("%s", first.body()).isTrue();
        assertThat(first.body().get("verdict").asText()).isEqualTo("HEALTHY");
        assertThat(first.body().get("nextStage").asInt()).isEqualTo(25);
        assertThat(first.body().get("signals")).hasSize(9);
        JsonNode report = second.body();
        assertThat(second.ok()).as("%s", report).isTrue();
        assertThat(report.get("windowMs").asLong()).isPositive();
        assertThat(report.get("signals").get(0).get("check").asText()).isEqualTo("error-rate");
        assertThat(report.get("signals").get(0).get("status").asText()).as("a test database's handful of transactions").isEqualTo("SKIPPED");
        assertThat(report.get("signals").get(0).get("message").asText()).startsWith("too few transactions to judge: ");
        assertThat(report.get("signals").get(2).get("message").asText()).startsWith("p95 of 10 probe run(s)");
    }

    @Test
    void missingStage_isAnInvalidRequest() throws Exception {
        LambdaInvoker.Invocation result = lambda.invoke("{\"database\": {\"jdbcUrl\": \"jdbc:postgresql://h/db\", \"username\": \"u\","
                + " \"password\": \"p\"}}");

        assertThat(result.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(result.errorMessage()).isEqualTo("field 'stage' is required: the share of traffic on the new release, 1-100 (percent)");
    }

    @TestHTTPResource("/q/health/ready")
    URL readiness;

    @ConfigProperty(name = "sluice.health.jdbc-url")
    String healthUrl;

    @Test
    void readiness_readsTheConfiguredDatabaseWithTheCanaryChecks_andGoesDownOnAnInvalidIndex() throws Exception {
        JsonNode up = database(LambdaInvoker.JSON.readTree(readiness));
        assertThat(up.get("status").asText()).isEqualTo("UP");
        assertThat(up.get("data").get("invalid-indexes").asText()).isEqualTo("OK: no INVALID index");
        assertThat(up.get("data").get("history").asText()).startsWith("OK: ");
        assertThat(up.get("data").has("error-rate")).as("needs a window: not a readiness signal").isFalse();

        try (Connection connection = DriverManager.getConnection(healthUrl, PostgresServer.APP_USER, PostgresServer.APP_PASSWORD);
                Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO customers (email, full_name) VALUES ('a@example.com', 'Twin'), ('b@example.com', 'Twin')");
            try {
                statement.execute("CREATE UNIQUE INDEX CONCURRENTLY customers_name_key ON customers (full_name)");
            } catch (SQLException expected) {
                // the duplicate names leave the index INVALID
            }
            JsonNode down = database(readinessResponse());
            assertThat(down.get("status").asText()).isEqualTo("DOWN");
            assertThat(down.get("data").get("invalid-indexes").asText()).startsWith("FAILED: public.customers_name_key on public.customers is INVALID");
            statement.execute("DROP INDEX CONCURRENTLY customers_name_key");
        }
    }

    /** The readiness document, also when it answers 503 (DOWN). */
    private JsonNode readinessResponse() throws Exception {
        java.net.HttpURLConnection connection = (java.net.HttpURLConnection) readiness.openConnection();
        java.io.InputStream body = connection.getResponseCode() >= 400 ? connection.getErrorStream() : connection.getInputStream();
        try (body) {
            return LambdaInvoker.JSON.readTree(body);
        }
    }

    private static JsonNode database(JsonNode health) {
        for (JsonNode check : health.get("checks")) {
            if (check.get("name").asText().equals("database")) {
                return check;
            }
        }
        throw new AssertionError("no database check in " + health);
    }
}
