package io.sluice.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/** The health function through the real handler: SmallRye Health's document for the event's database. */
@QuarkusTest
@TestProfile(HandlerProfiles.Health.class)
class HealthFunctionTest {

    private final LambdaInvoker lambda = new LambdaInvoker();

    private static Map<String, JsonNode> checks(JsonNode document) {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        document.get("checks").forEach(check -> byName.put(check.get("name").asText(), check));
        return byName;
    }

    @Test
    void aMigratedDatabase_isUp_everyCheckWithItsData() throws Exception {
        TestDatabase db = Sluice.migratedDatabase();

        LambdaInvoker.Invocation result = lambda.invoke(SampleEvents.against(SampleEvents.FOLDER.resolve("health.json"), db));

        assertThat(result.ok()).as("%s", result.body()).isTrue();
        JsonNode document = result.body();
        assertThat(document.fieldNames()).toIterable().containsExactly("status", "checks");
        assertThat(document.get("status").asText()).isEqualTo("UP");
        Map<String, JsonNode> checks = checks(document);
        assertThat(checks).containsOnlyKeys("database", "sluice-state", "history", "invalid-indexes", "connection-usage");
        assertThat(checks.values()).allSatisfy(check -> assertThat(check.get("status").asText()).isEqualTo("UP"));
        assertThat(checks.get("database").at("/data/serverVersion").asText()).startsWith("17.");
        assertThat(checks.get("database").at("/data/standby").asBoolean()).isFalse();
        assertThat(checks.get("sluice-state").get("data").toString()).isEqualTo("{\"stateSchema\":\"sluice\",\"version\":\"2\",\"latest\":\"2\"}");
        assertThat(checks.get("history").at("/data/version").asText()).isEqualTo("4");
        assertThat(checks.get("history").at("/data/failed").asLong()).isZero();
        assertThat(checks.get("invalid-indexes").at("/data/count").asLong()).isZero();
        assertThat(checks.get("connection-usage").at("/data/limit").asText()).isEqualTo("0.9");
        assertThat(checks.get("connection-usage").at("/data/used").asLong()).isPositive();
    }

    @Test
    void anInvalidIndex_aFailedScript_andNoStateSchema_areDown_eachSayingWhat() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        db.sql("CREATE TABLE orders (id int, status text); INSERT INTO orders VALUES (1, 'a'), (1, 'b');"
                + " CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200),"
                + " type varchar(20), script varchar(1000), checksum int, installed_by varchar(100), installed_on timestamp DEFAULT now(),"
                + " execution_time int, success boolean);"
                + " INSERT INTO flyway_schema_history VALUES (1, '1', 'orders', 'SQL', 'V1__orders.sql', 1, 'app', now(), 5, true),"
                + " (2, '2', 'unique ids', 'SQL', 'V2__unique_ids.sql', 2, 'app', now(), 5, false)");
        try (var connection = db.connect(); var statement = connection.createStatement()) {
            statement.execute("CREATE UNIQUE INDEX CONCURRENTLY orders_id ON orders (id)");
        } catch (java.sql.SQLException expected) {
            // The duplicate ids leave the concurrent build INVALID, as an interrupted release would.
        }

        LambdaInvoker.Invocation result = lambda.invoke(SampleEvents.against(SampleEvents.FOLDER.resolve("health.json"), db));

        assertThat(result.ok()).as("a DOWN database is a document, not an error: %s", result.body()).isTrue();
        Map<String, JsonNode> checks = checks(result.body());
        assertThat(result.body().get("status").asText()).isEqualTo("DOWN");
        assertThat(checks.get("database").get("status").asText()).isEqualTo("UP");
        assertThat(checks.get("sluice-state").get("status").asText()).isEqualTo("DOWN");
        assertThat(checks.get("sluice-state").at("/data/reason").asText()).isEqualTo("no state history: no migrate has run against this database");
        assertThat(checks.get("history").get("status").asText()).isEqualTo("DOWN");
        assertThat(checks.get("history").at("/data/failedScripts").asText()).isEqualTo("V2__unique_ids.sql");
        assertThat(checks.get("history").at("/data/version").asText()).isEqualTo("1");
        assertThat(checks.get("invalid-indexes").get("status").asText()).isEqualTo("DOWN");
        assertThat(checks.get("invalid-indexes").at("/data/indexes").asText()).contains("orders_id").contains("DROP INDEX CONCURRENTLY");
        assertThat(checks.get("connection-usage").get("status").asText()).isEqualTo("UP");
    }

    @Test
    void anUnreachableDatabase_isADownDocument_notAnError() throws Exception {
        LambdaInvoker.Invocation result = lambda.invoke("{\"database\": {\"jdbcUrl\": \"jdbc:postgresql://127.0.0.1:1/app\","
                + " \"username\": \"u\", \"password\": \"p\"}}");

        assertThat(result.ok()).as("%s", result.body()).isTrue();
        Map<String, JsonNode> checks = checks(result.body());
        assertThat(result.body().get("status").asText()).isEqualTo("DOWN");
        assertThat(checks.get("database").at("/data/errorType").asText()).isEqualTo("DatabaseUnavailable");
        assertThat(checks.get("database").at("/data/errorMessage").asText()).startsWith("cannot reach database jdbc:postgresql://127.0.0.1:1/app");
        assertThat(checks.get("history").at("/data/reason").asText()).isEqualTo("not checked: the database could not be reached");
        assertThat(checks).hasSize(5);
    }

    @Test
    void aBadShare_isAnInvalidRequest_andAPasswordTheDatabaseRefuses_isAnError() throws Exception {
        TestDatabase db = Sluice.migratedDatabase();
        LambdaInvoker.Invocation share = lambda.invoke("{\"database\": " + db.targetJson() + ", \"maxConnectionShare\": 2}");
        LambdaInvoker.Invocation refused = lambda.invoke("{\"database\": " + db.targetJson().replace("\"password\":\"", "\"password\":\"x")
                + "}");

        assertThat(share.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(share.errorMessage()).isEqualTo("field 'maxConnectionShare' must be above 0 and at most 1 (a share of max_connections)");
        assertThat(refused.errorType()).as("%s", refused.body()).isEqualTo("io.sluice.error.AuthenticationFailed");
    }
}
