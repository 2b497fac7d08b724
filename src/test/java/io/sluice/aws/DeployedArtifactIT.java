package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.migration.ReusedConnections;
import io.sluice.testing.DeployedEnvironment;
import io.sluice.testing.DeployedFunctions;
import io.sluice.testing.LambdaRuntime;
import io.sluice.testing.ListeningSockets;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TerraformModule;
import io.sluice.testing.TestCa;
import io.sluice.testing.TestDatabase;

/**
 * {@code target/function.zip} itself, as Lambda runs it: unpacked, started by AWS's Runtime Interface Emulator with
 * AWS's Java runtime interface client (the native {@code bootstrap} in GitHub's native job), in a process whose whole
 * environment is the one functions.tf gives the function, what Lambda sets and the emulator's endpoint; against the
 * resources {@link DeployedEnvironment} shapes as AWS shapes them. What the in-process tests cannot show: that Quarkus
 * itself reads that configuration (the {@code ${LAMBDA_TASK_ROOT}} in the CA bundle's path, the reports bucket), that
 * the artifact carries what it needs, and that a warm container follows a rotation of the secret it cached.
 */
class DeployedArtifactIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path ARTIFACT = Path.of("target", "function.zip");

    private DeployedEnvironment aws;
    private TestDatabase db;

    @BeforeEach
    void deployed() {
        assertThat(ARTIFACT).as("the package phase built it").isRegularFile();
        try {
            LambdaRuntime.rie();
        } catch (IOException | InterruptedException | RuntimeException e) {
            Assumptions.abort("aws-lambda-rie is not available here: " + e.getMessage());
        }
        aws = DeployedEnvironment.get();
        db = aws.database();
        db.clear();
    }

    /** function.zip unpacked into its own folder, with {@code ca}'s bundle where the native build puts RDS's. */
    private static Path unpacked(String name, TestCa ca) throws IOException {
        Path root = LambdaRuntime.unzip(ARTIFACT, Path.of("target", "ci-tools", "function-" + name).toAbsolutePath());
        ca.bundle(root.resolve("rds-global-bundle.pem"));
        return root;
    }

    private LambdaRuntime start(DeployedFunctions functions, String handler) throws Exception {
        return LambdaRuntime.start(functions.taskRoot(), LambdaRuntime.QUARKUS_HANDLER, functions.environment(handler), "sluice-" + handler);
    }

    private static JsonNode result(LambdaRuntime.Invocation invocation) throws IOException {
        return JSON.readTree(invocation.body());
    }

    @Test
    void theArtifact_withTerraformsEnvironment_releasesOverVerifiedTls_followsARotation_andRunsTheScheduledDriftCheck() throws Exception {
        DeployedFunctions functions = aws.functions().withTaskRoot(unpacked("deployed", PostgresServer.RDS_CA));
        String url = "jdbc:postgresql://" + PostgresServer.TLS_HOST + ":" + aws.server.port() + "/app";

        try (LambdaRuntime validate = start(functions, "validate"); LambdaRuntime migrate = start(functions, "migrate")) {
            JsonNode preflight = result(validate.invoke(aws.event("\"mode\": \"preflight\", " + aws.sampleMigrations())));
            JsonNode migrated = result(migrate.invoke(aws.event(aws.sampleMigrations())));
            aws.rotate();
            // The connection kept from the last call outlives a rotation (the server keeps a session it let in): the
            // cached secret is found stale when a new one is needed, here because the kept one was ended meanwhile.
            aws.database().sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'sluice'");
            Thread.sleep(ReusedConnections.CHECK_AFTER_IDLE_MS + 100);
            JsonNode afterRotation = result(migrate.invoke(aws.event(aws.sampleMigrations())));
            db = aws.database();
            db.sql("ALTER TABLE customers ADD COLUMN nickname text");
            JsonNode drift = result(validate.invoke(TerraformModule.driftScheduleEvent(aws.standIns)));

            assertThat(preflight.path("valid").asBoolean()).as(preflight.toString()).isTrue();
            assertThat(preflight.get("database").asText()).isEqualTo(url);
            assertThat(preflight.get("pending")).hasSize(4);
            assertThat(migrated.path("status").asText()).as(migrated.toString()).isEqualTo("MIGRATED");
            assertThat(migrated.get("versionAfter").asText()).isEqualTo("4");
            assertThat(afterRotation.path("status").asText()).as("a warm container, its secret read cached, after the rotation: "
                    + afterRotation).isEqualTo("UP_TO_DATE");
            assertThat(migrate.log()).contains("as cached; reading it again (rotated?)");
            assertThat(drift.path("drift").asBoolean()).as(drift.toString()).isTrue();
            assertThat(aws.messages("drift-schedule")).extracting(message -> message.get("type").asText()).containsExactly("drift-found");
            assertThat(db.history()).hasSize(4);
        }
    }

    @Test
    void theHealthFunction_withTerraformsEnvironment_answersTheScheduledEvent_withSmallRyeHealthsDocument_andListensOnNothing()
            throws Exception {
        DeployedFunctions functions = aws.functions().withTaskRoot(unpacked("health", PostgresServer.RDS_CA));

        try (LambdaRuntime migrate = start(functions, "migrate"); LambdaRuntime health = start(functions, "health")) {
            JsonNode migrated = result(migrate.invoke(aws.event(aws.sampleMigrations())));
            JsonNode document = result(health.invoke(TerraformModule.healthScheduleEvent(aws.standIns)));
            JsonNode warm = result(health.invoke(TerraformModule.healthScheduleEvent(aws.standIns)));

            assertThat(migrated.path("status").asText()).as(migrated.toString()).isEqualTo("MIGRATED");
            assertThat(document.path("status").asText()).as(document.toString()).isEqualTo("UP");
            assertThat(document.get("checks")).extracting(check -> check.get("name").asText())
                    .containsExactlyInAnyOrder("database", "sluice-state", "history", "invalid-indexes", "connection-usage");
            assertThat(document.at("/checks").findValues("serverVersion")).hasSize(1);
            assertThat(warm.path("status").asText()).as("warm, on the kept connection: %s", warm).isEqualTo("UP");
            for (LambdaRuntime function : List.of(migrate, health)) {
                assertThat(function.runtimeProcesses().toList()).as("the runtime the emulator started").isNotEmpty();
                for (ProcessHandle runtime : function.runtimeProcesses().toList()) {
                    assertThat(ListeningSockets.of(runtime.pid())).as("sockets %s listens on", runtime.info().command().orElse("?"))
                            .isEmpty();
                }
            }
        }
    }

    @Test
    void theArtifact_withAnotherCaAtItsRoot_failsTyped_andNothingReachesTheDatabase() throws Exception {
        DeployedFunctions functions = aws.functions().withTaskRoot(unpacked("other-ca", new TestCa("Some other Root CA")));

        try (LambdaRuntime migrate = start(functions, "migrate")) {
            JsonNode failed = result(migrate.invoke(aws.event(aws.sampleMigrations())));

            assertThat(failed.path("errorType").asText()).as(failed.toString()).isEqualTo("io.sluice.error.DatabaseNotTrusted");
            assertThat(failed.path("errorMessage").asText()).contains("could not be verified over TLS (sslmode verify-full)");
            assertThat(db.tableExists("flyway_schema_history")).isFalse();
        }
    }
}
