package io.sluice.function;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.MigrateEvent;

@QuarkusTest
@TestProfile(HandlerProfiles.Validate.class)
class ValidateFunctionTest {

    private final LambdaInvoker lambda = new LambdaInvoker();

    static Stream<Path> sampleEvents() {
        return SampleEvents.forFunction("validate").stream();
    }

    @ParameterizedTest
    @MethodSource("sampleEvents")
    void sampleEvent_runsThroughTheRealHandler(Path file) throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        String mode = LambdaInvoker.JSON.readTree(file.toFile()).get("mode").asText();
        if (mode.equals("post-migrate") || mode.equals("drift")) {
            Sluice.migrate().run(MigrateEvent.against(db.target()).build(), Duration.ofMinutes(1));
        }

        LambdaInvoker.Invocation result = lambda.invoke(SampleEvents.against(file, db));

        assertThat(result.ok()).as("%s: %s", file, result.body()).isTrue();
        JsonNode report = result.body();
        assertThat(report.get("mode").asText()).isEqualTo(mode);
        switch (mode) {
            case "preflight" -> {
                assertThat(report.get("valid").asBoolean()).isTrue();
                assertThat(report.get("pending")).hasSize(4);
                assertThat(report.get("findings")).isEmpty();
                if (report.has("schemaFile")) {
                    // The shipped schema file describes the shipped migrations.
                    assertThat(report.at("/schemaFile/equal").asBoolean()).isTrue();
                    assertThat(report.at("/schemaFile/source").asText()).isEqualTo("classpath:db/schema.sql");
                }
                if (report.has("reversibility")) {
                    assertThat(report.get("reversibility")).hasSize(4)
                            .allSatisfy(check -> assertThat(check.get("reversible").asBoolean()).isTrue());
                }
            }
            case "post-migrate" -> {
                assertThat(report.get("valid").asBoolean()).isTrue();
                assertThat(report.get("snapshotVersion").asText()).isEqualTo("4");
            }
            case "drift" -> {
                assertThat(report.get("drift").asBoolean()).isFalse();
                assertThat(report.get("differences")).isEmpty();
            }
            case "config" -> {
                // the embedded test server runs without ssl: a real finding, reported, not raised
                assertThat(report.get("valid").asBoolean()).isFalse();
                assertThat(report.get("settings").findValuesAsText("rule")).contains("ssl", "max-connections", "required-extension");
            }
            case "upgrade-readiness" -> {
                // the embedded test server runs with wal_level replica: logical replication is off, a real finding
                assertThat(report.get("valid").asBoolean()).isFalse();
                assertThat(report.get("findings").findValuesAsText("code")).contains("LOGICAL_REPLICATION_OFF")
                        .doesNotContain("UPGRADE_TARGET");
            }
            case "export" -> {
                // The shipped migrations' schema, as the shipped schema file says it (and the same bytes).
                assertThat(report.get("valid").asBoolean()).isTrue();
                assertThat(report.at("/schemaFile/sql").asText())
                        .isEqualTo(new String(getClass().getResourceAsStream("/db/schema.sql").readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                assertThat(report.at("/schemaFile/version").asText()).isEqualTo("4");
            }
            default -> throw new AssertionError("no expectations for mode " + mode);
        }
    }

    @Test
    void modeSpecificField_inAnotherMode_isAnInvalidRequest() throws Exception {
        LambdaInvoker.Invocation result = lambda.invoke("{\"mode\": \"drift\", \"proveReversible\": true, \"database\": "
                + "{\"jdbcUrl\": \"jdbc:postgresql://h/db\", \"username\": \"u\", \"password\": \"p\"}}");

        assertThat(result.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(result.errorMessage()).isEqualTo("field 'proveReversible' is not part of the validate drift event; known fields:"
                + " database, deploymentId, failOnDrift, failOnInvalid, migrations, schema, scratch");
    }

    @Test
    void missingMode_isAnInvalidRequest_listingTheModes() throws Exception {
        LambdaInvoker.Invocation result = lambda.invoke("{\"database\": "
                + "{\"jdbcUrl\": \"jdbc:postgresql://h/db\", \"username\": \"u\", \"password\": \"p\"}}");

        assertThat(result.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(result.errorMessage()).isEqualTo("field 'mode' is required: one of preflight, post-migrate, drift, config, upgrade-readiness, export, parity");
    }

    @Test
    void failOnInvalid_surfacesAsValidationFailed() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        db.historyRow(1, "1", "create customers", "V1__create_customers.sql", 12345);

        LambdaInvoker.Invocation result = lambda.invoke("{\"mode\": \"preflight\", \"failOnInvalid\": true, \"database\": "
                + db.targetJson() + "}");

        assertThat(result.errorType()).isEqualTo("io.sluice.error.ValidationFailed");
        assertThat(result.errorMessage()).contains("CHECKSUM_MISMATCH V1__create_customers.sql");
    }

    @Test
    void unknownMode_isAnInvalidRequest_listingTheModes() throws Exception {
        LambdaInvoker.Invocation result = lambda.invoke("{\"mode\": \"everything\", \"database\": "
                + "{\"jdbcUrl\": \"jdbc:postgresql://h/db\", \"username\": \"u\", \"password\": \"p\"}}");

        assertThat(result.errorType()).isEqualTo("io.sluice.error.InvalidRequest");
        assertThat(result.errorMessage()).contains("field 'mode' must be one of preflight, post-migrate, drift, config, upgrade-readiness, export, parity, got 'everything'");
    }
}
