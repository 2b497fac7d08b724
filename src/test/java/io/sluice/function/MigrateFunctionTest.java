package io.sluice.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;

@QuarkusTest
@TestProfile(HandlerProfiles.Migrate.class)
class MigrateFunctionTest {

    private final LambdaInvoker lambda = new LambdaInvoker();

    static Stream<Path> sampleEvents() {
        return SampleEvents.forFunction("migrate").stream();
    }

    @ParameterizedTest
    @MethodSource("sampleEvents")
    void sampleEvent_runsThroughTheRealHandler(Path file) throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        JsonNode shipped = LambdaInvoker.JSON.readTree(file.toFile());

        LambdaInvoker.Invocation result = lambda.invoke(SampleEvents.against(file, db));

        assertThat(result.ok()).as("%s: %s", file, result.body()).isTrue();
        JsonNode report = result.body();
        assertThat(report.get("deploymentId").asText()).isEqualTo(shipped.get("deploymentId").asText());
        assertThat(report.get("database").asText()).isEqualTo(db.jdbcUrl());
        if (shipped.path("dryRun").asBoolean()) {
            assertThat(report.get("status").asText()).isEqualTo("PLANNED");
            assertThat(report.get("plan")).hasSize(4);
            assertThat(db.tableExists("flyway_schema_history")).isFalse();
        } else {
            String target = shipped.path("target").asText("latest");
            String expected = target.equals("latest") ? "4" : target;
            assertThat(report.get("status").asText()).isEqualTo("MIGRATED");
            assertThat(report.get("versionAfter").asText()).isEqualTo(expected);
            assertThat(db.rows("SELECT max(version::int) FROM flyway_schema_history")).containsExactly(expected);
        }
    }

    @Test
    void sameEventTwice_secondIsANoOp() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        String event = SampleEvents.against(Path.of("events/migrate.json"), db);

        JsonNode first = lambda.invoke(event).body();
        JsonNode second = lambda.invoke(event).body();

        assertThat(first.get("status").asText()).isEqualTo("MIGRATED");
        assertThat(second.get("status").asText()).isEqualTo("UP_TO_DATE");
        assertThat(second.get("applied")).isEmpty();
        assertThat(db.history()).hasSize(4);
    }

    @Test
    void resultHasTheDocumentedFields() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();

        JsonNode report = lambda.invoke(SampleEvents.against(Path.of("events/migrate.json"), db)).body();

        assertThat(report.fieldNames()).toIterable().containsExactly("deploymentId", "status", "database", "schema", "target",
                "versionBefore", "versionAfter", "plan", "applied", "lockRetries", "snapshotSha256", "phase", "contractPending", "durationMs");
        assertThat(report.get("plan").get(0).fieldNames()).toIterable().containsExactly("version", "description", "script",
                "checksum", "transactional", "undoScript", "phase");
        assertThat(report.get("applied").get(0).fieldNames()).toIterable().containsExactly("version", "description", "script",
                "transactional", "executionMs");
    }

    @Test
    void batchedDataMigration_throughTheHandler_reportsItsProgress_andTheDryRunItsBatches() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        String migrations = "\"migrations\": \"filesystem:samples/backfill/migration\", \"database\": " + db.targetJson();

        JsonNode upToSeed = lambda.invoke("{\"target\": 3, " + migrations + "}").body();
        JsonNode plan = lambda.invoke("{\"dryRun\": true, " + migrations + "}").body();
        JsonNode report = lambda.invoke("{" + migrations + "}").body();

        assertThat(upToSeed.get("versionAfter").asText()).isEqualTo("3");
        assertThat(plan.at("/plan/0/backfill").toString()).startsWith("{\"table\":\"orders\",\"key\":\"id\",\"batchSize\":5000,");
        assertThat(plan.at("/plan/0/backfill/estimatedBatches").asLong()).as("400,000 rows, 5,000 a batch").isBetween(79L, 81L);
        assertThat(report.get("status").asText()).isEqualTo("MIGRATED");
        assertThat(report.at("/backfills/0/script").asText()).isEqualTo("V4__backfill_total_cents.sql");
        assertThat(report.at("/backfills/0/rowsDone").asLong()).isEqualTo(400_000);
        assertThat(report.at("/backfills/0/finished").asBoolean()).isTrue();
        assertThat(report.at("/applied/0/script").asText()).isEqualTo("V4__backfill_total_cents.sql");
        assertThat(db.rows("SELECT count(*) FROM orders WHERE total_cents IS NULL")).containsExactly("0");
    }

    @Test
    void targetAsAJsonNumber_isThatVersion() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();

        JsonNode report = lambda.invoke("{\"target\": 2, \"database\": " + db.targetJson() + "}").body();

        assertThat(report.get("versionAfter").asText()).isEqualTo("2");
        assertThat(report.get("target").asText()).isEqualTo("2");
    }

    @Test
    void missingDeploymentId_isGenerated_andEchoed() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();

        JsonNode report = lambda.invoke("{\"dryRun\": true, \"database\": " + db.targetJson() + "}").body();

        assertThat(report.get("deploymentId").asText()).startsWith("sluice-");
    }

    static Stream<Arguments> badEvents() {
        String db = "{\"jdbcUrl\":\"jdbc:postgresql://127.0.0.1:5432/app\",\"username\":\"u\",\"password\":\"p\"}";
        return Stream.of(
                Arguments.of("{\"database\": " + db + ", ", "InvalidRequest", "event is not valid JSON"),
                Arguments.of("[1, 2]", "InvalidRequest", "event must be a JSON object, got array"),
                Arguments.of("", "InvalidRequest", "event is empty"),
                Arguments.of("{}", "InvalidRequest", "field 'database' is required"),
                Arguments.of("{\"database\": " + db + ", \"dryrun\": true}", "InvalidRequest",
                        "field 'dryrun' is not part of the migrate event; known fields: baselineVersion, database, deploymentId, dryRun"),
                Arguments.of("{\"database\": " + db + ", \"dryRun\": \"yes\"}", "InvalidRequest", "field 'dryRun' must be true or false"),
                Arguments.of("{\"database\": " + db + ", \"target\": \"v2\"}", "InvalidRequest",
                        "field 'target' must be 'latest' or a version such as 3 or 1.2, got 'v2'"),
                Arguments.of("{\"database\": " + db + ", \"target\": 1.10}", "InvalidRequest",
                        "field 'target' must be a whole number or a string; write a dotted version as a string, e.g. \"1.10\""),
                Arguments.of("{\"database\": " + db + ", \"target\": -2}", "InvalidRequest", "field 'target' must be 'latest' or a version"),
                Arguments.of("{\"database\": " + db + ", \"schema\": \"public\\\"; DROP TABLE accounts; --\"}", "InvalidRequest",
                        "field 'schema' must be a plain identifier"),
                Arguments.of("{\"database\": " + db + ", \"migrations\": \"filesystem:/no/such/folder\"}", "InvalidRequest",
                        "field 'migrations': filesystem:/no/such/folder does not exist"),
                Arguments.of("{\"database\": " + db + ", \"migrations\": \"s3://bucket/key\"}", "InvalidRequest",
                        "field 'migrations' must be 'classpath:<folder>' or 'filesystem:<folder>'"),
                Arguments.of("{\"database\": " + db + ", \"migrations\": \"classpath:../etc\"}", "InvalidRequest",
                        "must be a resource folder"),
                Arguments.of("{\"database\": " + db + ", \"lockTimeout\": \"soon\"}", "InvalidRequest",
                        "field 'lockTimeout' must be a duration such as 500ms, 2s, 10min, 1h or 0 (no limit), got 'soon'"),
                Arguments.of("{\"database\": " + db + ", \"deploymentId\": \"bad id with spaces\"}", "InvalidRequest",
                        "field 'deploymentId' must be 1-128 characters"),
                Arguments.of("{\"database\": {\"jdbcUrl\": \"jdbc:mysql://h/db\", \"username\": \"u\"}}", "InvalidRequest",
                        "field 'database.jdbcUrl' must look like jdbc:postgresql://host:port/dbname"),
                Arguments.of("{\"database\": {\"jdbcUrl\": \"jdbc:postgresql://h/db?password=x\", \"username\": \"u\"}}",
                        "InvalidRequest", "must not carry user or password parameters"),
                Arguments.of("{\"database\": {\"jdbcUrl\": \"jdbc:postgresql://h/db\", \"username\": \"u\", \"password\": \"p\", \"port\": 1}}",
                        "InvalidRequest", "field 'database.port' is not part of the migrate event"),
                Arguments.of("{\"database\": \"jdbc:postgresql://h/db\"}", "InvalidRequest",
                        "field 'database' must be an object"),
                Arguments.of("{\"database\": {\"jdbcUrl\": \"jdbc:postgresql://127.0.0.1:1/app\", \"username\": \"u\", \"password\": \"p\"}}",
                        "DatabaseUnavailable", "cannot reach database jdbc:postgresql://127.0.0.1:1/app"),
                Arguments.of("{\"database\": {\"jdbcUrl\": \"jdbc:postgresql://h/db\", \"username\": \"u\"}}", "InvalidRequest",
                        "field 'database.password' is required"),
                Arguments.of("{\"database\": {\"jdbcUrl\": \"jdbc:postgresql://h/db\", \"username\": \"u\", \"password\": \"\"}}",
                        "InvalidRequest", "field 'database.password' is required"),
                Arguments.of("{\"database\": {\"jdbcUrl\": \"jdbc:postgresql://h/db\", \"username\": \"" + "u".repeat(300)
                        + "\", \"password\": \"p\"}}", "InvalidRequest", "field 'database.username' must be a PostgreSQL role name"),
                Arguments.of("{\"database\": {\"jdbcUrl\": \"jdbc:postgresql://h/db\", \"username\": \"u\\u0000\", \"password\": \"p\"}}",
                        "InvalidRequest", "field 'database.username' must be a PostgreSQL role name"),
                Arguments.of("{\"database\": " + db + ", \"migrations\": {}}", "InvalidRequest",
                        "field 'migrations' as an object is a bundle: {\"s3\": \"s3://bucket/key.zip\", \"sha256\": \"...\"}"),
                Arguments.of("{\"database\": " + db + ", \"migrations\": [1]}", "InvalidRequest",
                        "field 'migrations' must be a string ('classpath:<folder>' or 'filesystem:<folder>') or a bundle object"),
                Arguments.of("{\"database\": " + db + ", \"migrations\": {\"s3\": \"s3://b/k.zip\", \"sha256\": \"" + "a".repeat(64)
                        + "\"}}", "InvalidRequest", "field 'migrations.s3' must be an S3 URI such as s3://bucket/releases/app-42.zip"),
                Arguments.of("{\"database\": " + db + ", \"migrations\": {\"s3\": \"s3://bucket/k.zip\", \"sha256\": \"" + "a".repeat(64)
                        + "\"}}", "InvalidRequest", "field 'migrations': s3://bucket/k.zip is an S3 bundle and this function has no S3"
                        + " access configured"),
                Arguments.of("{\"database\": " + db + ", \"target\": {}}", "InvalidRequest",
                        "field 'target' must be 'latest' or a version such as 3 or \"1.2\", got object"),
                Arguments.of("{\"database\": " + db + ", \"dryRun\": \"\"}", "InvalidRequest", "field 'dryRun' must be true or false"),
                Arguments.of("{\"database\": " + db + ", \"migrations\": \"filesystem:/proc/self/environ\"}", "InvalidRequest",
                        "field 'migrations': filesystem:/proc/self/environ is outside the folders this function may read"),
                Arguments.of("{\"database\": " + db + ", \"migrations\": \"filesystem:/etc\"}", "InvalidRequest",
                        "field 'migrations': filesystem:/etc is outside the folders this function may read"));
    }

    @ParameterizedTest
    @MethodSource("badEvents")
    void badEvent_failsWithATypedError_andChangesNothing(String event, String errorName, String message) throws Exception {
        LambdaInvoker.Invocation result = lambda.invoke(event);

        assertThat(result.ok()).isFalse();
        assertThat(result.errorType()).isEqualTo("io.sluice.error." + errorName);
        assertThat(result.errorMessage()).contains(message);
    }

    @Test
    void wrongPassword_isAuthenticationFailed_notTheRetryableDatabaseUnavailable() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();

        LambdaInvoker.Invocation result = lambda.invoke("{\"database\": {\"jdbcUrl\": \"" + db.jdbcUrl()
                + "\", \"username\": \"" + PostgresServer.APP_USER + "\", \"password\": \"not-the-password\"}}");

        assertThat(result.errorType()).isEqualTo("io.sluice.error.AuthenticationFailed");
        assertThat(result.errorMessage()).contains("rejected the credentials of user '" + PostgresServer.APP_USER + "'")
                .doesNotContain("not-the-password");
    }

    @Test
    void hugeValue_isEchoedShortened_withControlCharactersEscaped() throws Exception {
        String value = "v1\\u001b[31m\\n" + "9".repeat(200_000);

        LambdaInvoker.Invocation result = lambda.invoke("{\"database\": {\"jdbcUrl\": \"jdbc:postgresql://h/db\", \"username\": \"u\","
                + " \"password\": \"p\"}, \"target\": \"" + value + "\"}");

        assertThat(result.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(result.errorMessage()).startsWith("field 'target' must be 'latest' or a version such as 3 or 1.2, got 'v1\\u001b[31m\\n999")
                .contains("... (199808 more characters)")
                .hasSizeLessThan(400);
        assertThat(result.errorMessage().chars()).noneMatch(c -> c < 0x20);
    }

    @Test
    void eventLargerThanTheStepFunctionsPayloadLimit_isRefusedUnread() throws Exception {
        LambdaInvoker.Invocation result = lambda.invoke("{\"deploymentId\": \"" + "d".repeat(300_000) + "\"}");

        assertThat(result.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(result.errorMessage()).isEqualTo("event is larger than 262144 bytes; Sluice's events are small JSON objects");
    }

    @Test
    void typedError_reachesTheCallerAsTypeAndMessageOnly_andTheLogAsOneLineWithoutStackTrace() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        long mark = LogLines.mark();

        LambdaInvoker.Invocation result = lambda.invoke("{\"deploymentId\": \"no-trace-1\", \"database\": {\"jdbcUrl\": \""
                + db.jdbcUrl() + "\", \"username\": \"" + PostgresServer.APP_USER + "\", \"password\": \"wrong\"}}");
        Thread.sleep(300); // the file handler flushes asynchronously to the invocation's answer

        assertThat(result.body().fieldNames()).toIterable().containsExactlyInAnyOrder("errorType", "errorMessage");
        List<JsonNode> lines = LogLines.since(mark).stream()
                .filter(line -> line.path("mdc").path("deploymentId").asText().equals("no-trace-1")).toList();
        assertThat(lines).filteredOn(line -> line.path("level").asText().equals("ERROR")).singleElement()
                .satisfies(line -> assertThat(line.path("message").asText())
                        .startsWith("migrate failed: AuthenticationFailed: database " + db.jdbcUrl() + " rejected the credentials"));
        assertThat(lines).allSatisfy(line -> assertThat(line.has("exception")).as("stack trace in %s", line).isFalse());
    }

    @Test
    void badEventAgainstARealDatabase_changesNothing() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();

        LambdaInvoker.Invocation result = lambda.invoke("{\"database\": " + db.targetJson()
                + ", \"schema\": \"x; DROP SCHEMA public CASCADE\"}");

        assertThat(result.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(db.rows("SELECT nspname FROM pg_namespace WHERE nspname IN ('public', 'x')")).containsExactly("public");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void everyLogLineOfAnInvocation_carriesItsDeploymentId_andNoLineOrResultCarriesThePassword() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        long mark = LogLines.mark();
        String ok = "{\"deploymentId\": \"log-check-1\", \"database\": " + db.targetJson() + "}";
        String failing = "{\"deploymentId\": \"log-check-2\", \"database\": " + db.targetJson()
                + ", \"migrations\": \"filesystem:/no/such/folder\"}";

        LambdaInvoker.Invocation success = lambda.invoke(ok);
        LambdaInvoker.Invocation failure = lambda.invoke(failing);
        Thread.sleep(300); // the file handler flushes asynchronously to the invocation's answer

        assertThat(success.body().toString()).doesNotContain(PostgresServer.APP_PASSWORD);
        assertThat(failure.body().toString()).doesNotContain(PostgresServer.APP_PASSWORD);
        assertThat(LogLines.textSince(mark)).doesNotContain(PostgresServer.APP_PASSWORD);
        List<JsonNode> invocationLines = LogLines.since(mark).stream()
                .filter(line -> line.path("threadName").asText().startsWith("Lambda Thread"))
                .toList();
        assertThat(invocationLines).hasSizeGreaterThan(5);
        assertThat(invocationLines).allSatisfy(line -> assertThat(line.path("mdc").path("deploymentId").asText())
                .as("log line %s", line).isIn("log-check-1", "log-check-2"));
        assertThat(invocationLines).anySatisfy(line -> {
            assertThat(line.path("level").asText()).isEqualTo("ERROR");
            assertThat(line.path("mdc").path("deploymentId").asText()).isEqualTo("log-check-2");
        });
    }
}
