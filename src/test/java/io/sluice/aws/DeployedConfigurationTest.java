package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.services.rds.model.DBSnapshot;

import io.sluice.cli.LocalFunctions;
import io.sluice.cli.PipelineCommandLine;
import io.sluice.config.SluiceConfig;
import io.sluice.error.DatabaseNotTrusted;
import io.sluice.error.InvalidRequest;
import io.sluice.testing.Bundle;
import io.sluice.testing.DeployedEnvironment;
import io.sluice.testing.DeployedFunctions;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.RealisticHistory;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.TerraformModule;
import io.sluice.testing.TestCa;
import io.sluice.testing.TestDatabase;
import io.sluice.workflow.Execution;
import io.sluice.workflow.LocalApprovals;
import io.sluice.workflow.LocalResources;

/**
 * The functions as {@code terraform/} deploys them, against resources shaped the way AWS shapes them: the environment
 * of functions.tf with every variable at its default (nothing added but what Lambda sets and the emulator's endpoint),
 * the master secret as RDS manages it ({@code rds!db-...}, username and password only, then rotated), a PostgreSQL that
 * requires TLS with a certificate of a CA standing in for Amazon RDS's (its bundle where the native build puts the RDS
 * bundle, at the root of function.zip), the migrations as a bundle in S3, the drift schedule's event as the scheduler
 * sends it, the notifications on the topic, full reports in the bundle bucket, and one whole release through the
 * pipeline's definition, with the pre-change snapshot the deploy workflow asks for.
 */
class DeployedConfigurationTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeployedEnvironment aws;
    private TestDatabase db;
    private DeployedFunctions deployed;

    @BeforeEach
    void deployed() {
        aws = DeployedEnvironment.get();
        db = aws.database();
        db.clear();
        deployed = warm(aws);
    }

    private static DeployedFunctions warmFunctions;

    /** The same functions for every test: warm containers, each keeping what it cached (a secret read). */
    private static synchronized DeployedFunctions warm(DeployedEnvironment aws) {
        if (warmFunctions == null) {
            warmFunctions = aws.functions();
        }
        return warmFunctions;
    }

    private String event(String fields) {
        return aws.event(fields);
    }

    private String bundle() {
        return aws.sampleMigrations();
    }

    private static JsonNode invoke(DeployedFunctions functions, String handler, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        functions.handler(handler).handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    @Test
    void terraformsEnvironment_namesTheInstance_itsCaBundle_andWhereReportsGo() {
        Map<String, String> environment = deployed.terraformEnvironment("validate");

        assertThat(environment).containsEntry("QUARKUS_LAMBDA_HANDLER", "validate")
                .containsEntry("SLUICE_AWS_DATABASE_HOST", PostgresServer.TLS_HOST)
                .containsEntry("SLUICE_AWS_DATABASE_PORT", Integer.toString(aws.server.port()))
                .containsEntry("SLUICE_AWS_DATABASE_NAME", "app")
                .containsEntry("SLUICE_AWS_DATABASE_SSL_MODE", "verify-full")
                .containsEntry("SLUICE_AWS_DATABASE_SSL_ROOT_CERT", "${LAMBDA_TASK_ROOT}/rds-global-bundle.pem")
                .containsEntry("SLUICE_AWS_REPORTS_BUCKET", aws.bucket)
                .containsEntry("SLUICE_AWS_APPROVALS_TABLE", "sluice-approvals")
                .containsEntry("SLUICE_AWS_LISTS_SECRETS", "databaseSecrets,paritySecrets")
                .containsEntry("SLUICE_AWS_DATABASE_SECRET_ARN", aws.secretArn)
                .doesNotContainKey("SLUICE_DATABASE_EVENT_CREDENTIALS").doesNotContainKey("SLUICE_DATABASE_ALLOWED_SECRETS");
        assertThat(deployed.terraformEnvironment("migrate")).containsEntry("SLUICE_AWS_LISTS_SECRETS", "databaseSecrets");
        assertThat(deployed.config("validate").database().eventCredentials()).isFalse();
        assertThat(deployed.config("validate").aws().listsObject().orElseThrow()).matches("config/lists-[0-9a-f]{64}\\.json");
        SluiceConfig.Aws read = deployed.config("validate").aws();
        assertThat(read.databaseSslRootCert()).contains(aws.taskRoot.toAbsolutePath().resolve("rds-global-bundle.pem").toString());
        assertThat(read.databaseHost()).contains(PostgresServer.TLS_HOST);
    }

    @Test
    void anEventCarryingTheDatabasesUrlAndPassword_isRefused_andSoIsAnotherSecret() throws Exception {
        String inline = "{\"deploymentId\": \"deployed-1\", \"database\": " + db.targetJson() + ", " + bundle() + "}";
        String other = AwsClients.secretsManager(aws.aws).createSecret(request -> request.name("other-db-" + UUID.randomUUID())
                .secretString("{\"username\": \"" + aws.masterUser + "\", \"password\": \"x\"}")).arn();

        assertThatThrownBy(() -> invoke(deployed, "migrate", inline)).isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("field 'database': this deployment takes its database from Secrets Manager only");
        assertThatThrownBy(() -> invoke(deployed, "migrate", "{\"database\": {\"secretArn\": \"" + other + "\"}, " + bundle() + "}"))
                .isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'database.secretArn': " + other + " is not a secret this deployment may use"
                        + " (the lists object's databaseSecrets: " + aws.secretArn + ")");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void theMasterSecretRdsManages_andTheDeployedEnvironment_releaseOverVerifiedTls() throws Exception {
        JsonNode preflight = invoke(deployed, "validate", event("\"mode\": \"preflight\", " + bundle()));
        JsonNode migrated = invoke(deployed, "migrate", event(bundle()));
        JsonNode post = invoke(deployed, "validate", event("\"mode\": \"post-migrate\", " + bundle()));
        JsonNode canary = invoke(deployed, "canary-check", event("\"stage\": 5, \"probes\": [\"SELECT count(*) FROM orders\"]"));
        JsonNode plan = invoke(deployed, "rollback", event("\"targetVersion\": 2, \"reason\": \"a drill\", \"dryRun\": true, " + bundle()));

        String url = "jdbc:postgresql://" + PostgresServer.TLS_HOST + ":" + aws.server.port() + "/app";
        assertThat(preflight.get("valid").asBoolean()).isTrue();
        assertThat(preflight.get("database").asText()).isEqualTo(url);
        assertThat(preflight.get("pending")).hasSize(4);
        assertThat(migrated.get("status").asText()).isEqualTo("MIGRATED");
        assertThat(migrated.get("versionAfter").asText()).isEqualTo("4");
        assertThat(post.get("valid").asBoolean()).isTrue();
        assertThat(canary.get("signals")).anySatisfy(signal -> assertThat(signal.get("check").asText()).isEqualTo("probe-p95"));
        assertThat(plan.get("status").asText()).isEqualTo("PLANNED");
        assertThat(db.history()).hasSize(4);
    }

    @Test
    void aRotationOfTheManagedSecret_isFollowed_withoutAFailedInvocation() throws Exception {
        assertThat(invoke(deployed, "migrate", event("\"target\": 1, " + bundle())).get("versionAfter").asText()).isEqualTo("1");

        aws.rotate();
        JsonNode after = invoke(deployed, "migrate", event(bundle()));

        assertThat(after.get("status").asText()).isEqualTo("MIGRATED");
        assertThat(after.get("versionAfter").asText()).isEqualTo("4");
    }

    @Test
    void theDriftSchedulesEvent_asTheSchedulerSendsIt_findsTheChange_andPublishesIt() throws Exception {
        invoke(deployed, "migrate", event(bundle()));
        db.sql("ALTER TABLE customers ADD COLUMN nickname text");
        String scheduled = TerraformModule.driftScheduleEvent(aws.standIns);

        JsonNode drift = invoke(deployed, "validate", scheduled);

        assertThat(JSON.readTree(scheduled)).isEqualTo(JSON.readTree("{\"deploymentId\": \"drift-schedule\", \"mode\": \"drift\","
                + " \"database\": {\"secretArn\": \"" + aws.secretArn + "\"}, \"schema\": \"public\"}"));
        assertThat(drift.get("drift").asBoolean()).isTrue();
        assertThat(drift.get("differences")).extracting(difference -> difference.get("name").asText()).contains("public.customers.nickname");
        assertThat(aws.messages("drift-schedule")).extracting(message -> message.get("type").asText()).containsExactly("drift-found");
    }

    @Test
    void aBundleOfAnotherCa_failsTyped_andNothingIsSentToTheDatabase(@TempDir Path otherRoot) {
        new TestCa("Some other Root CA").bundle(otherRoot.resolve("rds-global-bundle.pem"));

        assertThatThrownBy(() -> invoke(deployed.withTaskRoot(otherRoot), "migrate", event(bundle())))
                .isInstanceOf(DatabaseNotTrusted.class)
                .hasMessageStartingWith("database jdbc:postgresql://localhost:" + aws.server.port() + "/app could not be verified over TLS"
                        + " (sslmode verify-full): ")
                .hasMessageContaining("Nothing was sent to it.");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void withoutTheBundleAtTheRootOfTheArtifact_failsTyped_namingTheFile(@TempDir Path emptyRoot) {
        assertThatThrownBy(() -> invoke(deployed.withTaskRoot(emptyRoot), "validate", event("\"mode\": \"preflight\", " + bundle())))
                .isInstanceOf(DatabaseNotTrusted.class)
                .hasMessageContaining(emptyRoot.toAbsolutePath().resolve("rds-global-bundle.pem").toString());
    }

    @Test
    void aHostTheCertificateDoesNotName_isNotTrusted_evenWithTheRightCa() {
        Map<String, String> byAddressInstead = new java.util.HashMap<>(aws.standIns);
        byAddressInstead.put("aws_db_instance.this.address", "127.0.0.1");
        DeployedFunctions byAddress = new DeployedFunctions(byAddressInstead, aws.taskRoot, aws.aws.endpoint().orElseThrow());

        assertThatThrownBy(() -> invoke(byAddress, "migrate", event(bundle()))).isInstanceOf(DatabaseNotTrusted.class)
                .hasMessageContaining("127.0.0.1");
    }

    @Test
    void aResultTooLargeForAStateMachine_isKeptWholeInTheBundleBucket(@TempDir Path history) throws Exception {
        RealisticHistory.write(new ScriptFolder(history), 400);
        Bundle large = Bundle.of(history);
        aws.upload("releases/large.zip", large);

        JsonNode preflight = invoke(deployed, "validate", event("\"mode\": \"preflight\", " + aws.migrations("releases/large.zip", large)));

        String where = preflight.get("fullReport").asText();
        assertThat(where).startsWith("s3://" + aws.bucket + "/reports/deployed-1/validate-").endsWith(".json");
        JsonNode whole = JSON.readTree(AwsClients.s3(aws.aws).getObjectAsBytes(request -> request.bucket(aws.bucket)
                .key(where.substring(("s3://" + aws.bucket + "/").length()))).asByteArray());
        assertThat(whole.get("pending")).hasSize(400);
        assertThat(preflight.at("/truncated/~1pending").asInt()).isEqualTo(400);
    }

    @Test
    void aWholeRelease_throughThePipelinesDefinition_withTheDeployedConfiguration_andItsPreChangeSnapshot() throws Exception {
        Map<String, RequestStreamHandler> functions = deployed.byArn();
        ObjectNode input = (ObjectNode) JSON.readTree(Path.of("events", "pipeline", "release.json").toFile());
        input.put("deploymentId", "release-deployed-" + UUID.randomUUID().toString().substring(0, 8));
        input.putObject("database").put("secretArn", aws.secretArn);
        input.putObject("migrations").put("s3", "s3://" + aws.bucket + "/releases/sample.zip").put("sha256", aws.sample.sha256());
        input.put("rdsSnapshot", DeployedEnvironment.instance());
        input.put("autoApproveUpTo", 3);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        LocalResources resources = new LocalResources(functions, LocalApprovals.approving(0, quiet), quiet);

        Execution execution = PipelineCommandLine.execute(Files.readString(PipelineCommandLine.DEFAULT_DEFINITION), input, "deployed-release",
                resources, 0, quiet).execution();

        assertThat(execution.status()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(execution.path()).endsWith("Promote", "NotifyDeployed", "ContractPending", "Deployed");
        assertThat(db.history()).hasSize(4);
        JsonNode migrate = execution.visits().stream().filter(visit -> visit.state().equals("Migrate")).findFirst().orElseThrow()
                .calls().get(0).result().get("Payload");
        String snapshot = migrate.get("rdsSnapshot").asText();
        assertThat(snapshot).startsWith("sluice-" + DeployedEnvironment.instance() + "-" + input.get("deploymentId").asText() + "-v0-");
        List<DBSnapshot> snapshots = AwsClients.rds(aws.aws).describeDBSnapshots(request -> request.dbSnapshotIdentifier(snapshot))
                .dbSnapshots();
        assertThat(snapshots).extracting(DBSnapshot::dbInstanceIdentifier).containsExactly(DeployedEnvironment.instance());
        assertThat(resources.published()).extracting(message -> message.get("type").asText()).containsExactly("deployed");
        assertThat(LocalFunctions.arn("migrate")).isIn(functions.keySet());
    }
    /**
     * Scratch work as deployed, in each isolation the module offers, with a live role that may not create databases:
     * the proofs pass, so the scratch databases were made without it (on the embedded server, or by the scratch role
     * the function made from the module's secret, which then holds exactly its attributes and limits).
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"embedded", "role"})
    void scratchDatabasesAreBuilt_withoutTheLiveRole_inTheIsolationTheModuleConfigures(String isolation) throws Exception {
        Map<String, String> overrides = isolation.equals("role") ? Map.of("var.scratch_isolation", "role",
                "local.scratch_role_secret_arn", aws.ownRoleSecret("scratch", "sluice_scratch")) : Map.of();
        DeployedFunctions functions = aws.functions(overrides);
        assertThat(functions.terraformEnvironment("validate")).containsEntry("SLUICE_SCRATCH_ISOLATION", isolation)
                .containsEntry("SLUICE_PROBE_SECRET_ARN", aws.probeSecretArn);
        String master = TerraformModule.variableDefault("database_master_username").asText();
        if (isolation.equals("role")) {
            // The first use makes the scratch role, with the master user's credentials (CREATEDB passes on only from one that has it).
            invoke(functions, "validate", event("\"mode\": \"preflight\", " + bundle() + ", \"probeLocks\": true"));
        }
        db.superuserSql("ALTER ROLE " + master + " NOCREATEDB");
        try {
            JsonNode report = invoke(functions, "validate", event("\"mode\": \"preflight\", " + bundle() + ", \"proveReversible\": true,"
                    + " \"probeLocks\": true"));

            assertThat(report.path("valid").asBoolean()).as(report.toString()).isTrue();
            assertThat(report.path("reversibility").findValuesAsText("reversible")).isNotEmpty().containsOnly("true");
        } finally {
            db.superuserSql("ALTER ROLE " + master + " CREATEDB");
        }
        List<String> scratchRole = db.rows("SELECT rolcreatedb || ' ' || rolsuper || ' ' || rolcreaterole || ' ' || rolconnlimit"
                + " || ' ' || (SELECT count(*) FROM pg_auth_members m WHERE m.member = r.oid) FROM pg_roles r WHERE rolname = 'sluice_scratch'");
        if (isolation.equals("role")) {
            assertThat(scratchRole).containsExactly("true false false 10 0");
            assertThat(db.rows("SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole"
                    + " WHERE r.rolname = 'sluice_scratch'")).singleElement().asString().contains("statement_timeout=300s")
                    .contains("temp_file_limit=256MB").contains("idle_in_transaction_session_timeout=60s");
        } else {
            assertThat(scratchRole).as("the embedded isolation makes no role on the live server").isEmpty();
        }
    }

    @Test
    void theCanarysProbes_runAsTheProbeRole_theFunctionMadeFromTheModulesSecret_readingAndNothingElse() throws Exception {
        invoke(deployed, "migrate", event(bundle()));
        ObjectNode check = (ObjectNode) JSON.readTree(event("\"stage\": 5"));
        check.putArray("probes").add("SELECT count(*) FROM orders WHERE session_user = 'sluice_probe'");

        JsonNode report = invoke(deployed, "canary-check", check.toString());

        assertThat(report.path("verdict").asText()).as(report.toString()).isNotEqualTo("FAILED");
        assertThat(db.rows("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member"
                + " WHERE r.rolname = 'sluice_probe'")).as("a member of no role").containsExactly("0");
        assertThat(db.rows("SELECT has_table_privilege('sluice_probe', 'public.orders', 'SELECT') || ' '"
                + " || has_table_privilege('sluice_probe', 'pg_catalog.pg_authid', 'SELECT')")).containsExactly("true false");
        assertThat(db.rows("SELECT rolsuper || ' ' || rolcreatedb || ' ' || rolcreaterole || ' ' || rolconnlimit FROM pg_roles"
                + " WHERE rolname = 'sluice_probe'")).containsExactly("false false false 10");
    }
}
