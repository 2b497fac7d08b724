package io.sluice.parity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.cli.LocalFunctions;
import io.sluice.error.InvalidRequest;
import io.sluice.event.FindingCode;
import io.sluice.event.ParityReport;
import io.sluice.event.ValidateReport;
import io.sluice.function.FullReports;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;
import io.sluice.workflow.HandlerInvocation;

/**
 * Environment parity on two live databases on two servers (production on the tests' main server, staging on the
 * scratch server, whose settings differ): the same history finds the schemas equal; planted differences (an index
 * added by hand, a version applied on one only, a script applied from other contents) are each found, with the SQL
 * that reconciles the schema, and the settings the config rules read that differ. The other database is a database
 * as much as the first: a deployed function takes it by an allowed secret only.
 */
class ParityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ScriptFolder history(Path dir) {
        return new ScriptFolder(dir)
                .with("V1__customers.sql", "CREATE TABLE customers (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL);\n")
                .with("V2__orders.sql", "CREATE TABLE orders (id bigserial PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id),"
                        + " total numeric(12, 2) NOT NULL);\nCREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 1000;\n");
    }

    @Test
    void plantedDifferences_areFound_schemaSettingsAndHistory(@TempDir Path dir) {
        ScriptFolder scripts = history(dir.resolve("migrations"));
        TestDatabase production = PostgresServer.get().newDatabase();
        TestDatabase staging = PostgresServer.scratchServer().newDatabase();
        Sluice.migrate().run(MigrateEvent.against(production.target()).migrations(scripts.source()).build(), Duration.ofMinutes(1));
        Sluice.migrate().run(MigrateEvent.against(staging.target()).migrations(scripts.source()).build(), Duration.ofMinutes(1));

        ValidateReport same = Sluice.validate().run(ValidateEvent.against(production.target()).migrations(scripts.source())
                .parity(staging.target()));
        assertThat(same.parity().differences()).isEmpty();
        assertThat(same.parity().history()).isEmpty();
        assertThat(same.findings()).noneMatch(finding -> finding.code() == FindingCode.PARITY_SCHEMA
                || finding.code() == FindingCode.PARITY_HISTORY);

        // Staging: an index added by hand, and V2 recorded with another checksum (edited after it ran there).
        staging.sql("CREATE INDEX orders_total_idx ON orders (total)");
        staging.sql("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '2'");
        // Production: a version staging never got.
        scripts.with("V3__customer_name.sql", "ALTER TABLE customers ADD COLUMN full_name text;\n");
        Sluice.migrate().run(MigrateEvent.against(production.target()).migrations(scripts.source()).build(), Duration.ofMinutes(1));

        ValidateReport report = Sluice.validate().run(ValidateEvent.against(production.target()).migrations(scripts.source())
                .parity(staging.target()));

        assertThat(report.valid()).isFalse();
        ParityReport parity = report.parity();
        assertThat(parity.version()).isEqualTo("3");
        assertThat(parity.otherVersion()).isEqualTo("2");
        assertThat(parity.differences()).extracting(difference -> difference.kind() + " " + difference.name() + " " + difference.change())
                .containsExactly("index public.orders_total_idx ADDED", "column public.customers.full_name REMOVED");
        assertThat(parity.reconcileScript()).isEqualTo("DROP INDEX CONCURRENTLY IF EXISTS public.orders_total_idx;\n"
                + "ALTER TABLE public.customers ADD COLUMN full_name text;\n");
        assertThat(parity.history()).extracting(difference -> difference.version() + " " + difference.change())
                .containsExactly("2 CHECKSUM", "3 MISSING");
        assertThat(report.findings()).filteredOn(finding -> finding.code() == FindingCode.PARITY_HISTORY).extracting(finding -> finding.message())
                .containsExactly("V2__orders.sql was applied from other contents on the two (checksum " + parity.history().get(0).checksum()
                        + " here, " + parity.history().get(0).otherChecksum() + " there)",
                        "V3__customer_name.sql is applied here and not on the other database");
        // The two servers' max_connections differ (120 and 40): a setting the config rules read.
        assertThat(parity.settings()).extracting(ParityReport.SettingDifference::setting).contains("max_connections");
        assertThat(report.findings()).filteredOn(finding -> finding.code() == FindingCode.PARITY_SETTING)
                .extracting(finding -> finding.message()).anyMatch(message -> message.startsWith("max_connections is 120 here and 40 on the other"));
    }

    @Test
    void theOtherDatabase_isTakenByAnAllowedSecretOnly_asTheFirst() throws Exception {
        TestDatabase production = PostgresServer.get().newDatabase();
        String allowed = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod-db-AbCdEf";
        var deployed = LocalFunctions.byArn(LocalFunctions.config("test", Map.of("sluice.database.event-credentials", "false",
                "sluice.database.allowed-secrets", allowed, "sluice.aws.enabled", "false")), FullReports.NONE).get(LocalFunctions.arn("validate"));
        String event = """
                {"deploymentId": "parity", "mode": "parity", "database": {"secretArn": "%s"}, "other": %s}""";

        // Staging's URL and password in the event: the credentials a deployed function never takes from an event.
        assertThat(refused(deployed, event.formatted(allowed, production.targetJson()))).startsWith("io.sluice.error.InvalidRequest: field"
                + " 'other': this deployment takes its database from Secrets Manager only");
        // Another secret than the deployment's: refused before it is read.
        assertThat(refused(deployed, event.formatted(allowed, "{\"secretArn\": \"arn:aws:secretsmanager:us-east-1:123456789012:secret:other\"}")))
                .startsWith("io.sluice.error.InvalidRequest: field 'other.secretArn': arn:aws:secretsmanager:us-east-1:123456789012:secret:other"
                        + " is not a secret this deployment may use").doesNotContain(PostgresServer.APP_PASSWORD);
        assertThatThrownBy(() -> Sluice.validate().run(new io.sluice.event.ParityRequest(null, production.target(), null, null, null, null)))
                .isInstanceOf(InvalidRequest.class).hasMessageStartingWith("field 'other' is required");
    }

    private static String refused(com.amazonaws.services.lambda.runtime.RequestStreamHandler handler, String event) throws Exception {
        try {
            HandlerInvocation.invoke(handler, "validate", event.getBytes(StandardCharsets.UTF_8), System.currentTimeMillis() + 60_000);
            throw new AssertionError("not refused");
        } catch (HandlerInvocation.FunctionError e) {
            return e.errorType() + ": " + JSON.readTree(e.payload()).path("errorMessage").asText();
        }
    }
}
