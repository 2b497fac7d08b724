package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import io.sluice.cli.LocalFunctions;
import io.sluice.cli.PipelineCommandLine;
import io.sluice.config.SluiceConfig;
import io.sluice.error.DatabaseNotTrusted;
import io.sluice.testing.AwsSettings;
import io.sluice.testing.Bundle;
import io.sluice.testing.DeployedFunctions;
import io.sluice.testing.MotoServer;
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
    private static final Path SAMPLE_MIGRATIONS = Path.of("src", "main", "resources", "db", "migration");

    private static PostgresServer server;
    private static SluiceConfig.Aws aws;
    private static String secretArn;
    private static String bucket;
    private static String queue;
    private static String masterUser;
    private static String databaseName;
    private static String password;
    private static DeployedFunctions deployed;
    private static Bundle sample;

    @TempDir
    static Path taskRoot;

    private static TestDatabase db;

    @BeforeAll
    static void deploy() {
        String endpoint = MotoServer.endpoint();
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        aws = AwsSettings.emulator(endpoint);
        server = PostgresServer.requiringTls();
        masterUser = TerraformModule.variableDefault("database_master_username").asText();
        databaseName = TerraformModule.variableDefault("database_name").asText();
        password = "Pw-" + UUID.randomUUID();
        db = server.freshDatabase(databaseName, masterUser, password);

        // What RDS, Secrets Manager, S3 and SNS hold after terraform apply.
        SecretsManagerClient secrets = AwsClients.secretsManager(aws);
        secretArn = secrets.createSecret(request -> request.name("rds!db-" + UUID.randomUUID())
                .secretString(JSON.createObjectNode().put("username", masterUser).put("password", password).toString())).arn();
        bucket = "sluice-bundles-" + UUID.randomUUID().toString().substring(0, 8);
        S3Client s3 = AwsClients.s3(aws);
        s3.createBucket(request -> request.bucket(bucket));
        sample = Bundle.of(SAMPLE_MIGRATIONS);
        s3.putObject(request -> request.bucket(bucket).key("releases/sample.zip"), RequestBody.fromBytes(sample.zip()));
        String topic = AwsClients.sns(aws).createTopic(request -> request.name("sluice-notifications")).topicArn();
        SqsClient sqs = sqs();
        queue = sqs.createQueue(request -> request.queueName("deployed-" + UUID.randomUUID().toString().substring(0, 8))).queueUrl();
        String queueArn = sqs.getQueueAttributes(request -> request.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        AwsClients.sns(aws).subscribe(request -> request.topicArn(topic).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        try {
            AwsClients.rds(aws).createDBInstance(request -> request.dbInstanceIdentifier(instance()).engine("postgres")
                    .dbInstanceClass("db.t4g.medium").allocatedStorage(50).masterUsername(masterUser).masterUserPassword(password));
        } catch (DbInstanceAlreadyExistsException e) {
            // another test of this JVM made it
        }
        // function.zip unpacked, the CA bundle at its root, as the native build packs the RDS global bundle.
        PostgresServer.RDS_CA.bundle(taskRoot.resolve("rds-global-bundle.pem"));
        deployed = new DeployedFunctions(Map.of(
                "aws_db_instance.this.address", PostgresServer.TLS_HOST,
                "aws_db_instance.this.port", Integer.toString(server.port()),
                "aws_sns_topic.notifications.arn", topic,
                "aws_s3_bucket.bundles.id", bucket,
                // database_secret_arns empty (its default): the master user's secret RDS manages.
                "local.database_secret_arns[0]", secretArn), taskRoot, endpoint);
    }

    @BeforeEach
    void emptyDatabase() {
        assertThat(TerraformModule.variableDefault("database_secret_arns")).as("the default: the master secret").isEmpty();
        db.clear();
    }

    private static String instance() {
        return TerraformModule.evaluatedLocal("database_identifier", Map.of()).asText();
    }

    private static SqsClient sqs() {
        return SqsClient.builder().httpClient(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.create())
                .region(software.amazon.awssdk.regions.Region.US_EAST_1).endpointOverride(java.net.URI.create(aws.endpoint().get())).build();
    }

    private static String event(String fields) {
        return "{\"deploymentId\": \"deployed-1\", \"database\": {\"secretArn\": \"" + secretArn + "\"}, " + fields + "}";
    }

    private static String bundle() {
        return "\"migrations\": {\"s3\": \"s3://" + bucket + "/releases/sample.zip\", \"sha256\": \"" + sample.sha256() + "\"}";
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
                .containsEntry("SLUICE_AWS_DATABASE_PORT", Integer.toString(server.port()))
                .containsEntry("SLUICE_AWS_DATABASE_NAME", "app")
                .containsEntry("SLUICE_AWS_DATABASE_SSL_MODE", "verify-full")
                .containsEntry("SLUICE_AWS_DATABASE_SSL_ROOT_CERT", "${LAMBDA_TASK_ROOT}/rds-global-bundle.pem")
                .containsEntry("SLUICE_AWS_REPORTS_BUCKET", bucket)
                .containsEntry("SLUICE_AWS_APPROVALS_TABLE", "sluice-approvals");
        SluiceConfig.Aws read = deployed.config("validate").aws();
        assertThat(read.databaseSslRootCert()).contains(taskRoot.toAbsolutePath().resolve("rds-global-bundle.pem").toString());
        assertThat(read.databaseHost()).contains(PostgresServer.TLS_HOST);
    }

    @Test
    void theMasterSecretRdsManages_andTheDeployedEnvironment_releaseOverVerifiedTls() throws Exception {
        JsonNode preflight = invoke(deployed, "validate", event("\"mode\": \"preflight\", " + bundle()));
        JsonNode migrated = invoke(deployed, "migrate", event(bundle()));
        JsonNode post = invoke(deployed, "validate", event("\"mode\": \"post-migrate\", " + bundle()));
        JsonNode canary = invoke(deployed, "canary-check", event("\"stage\": 5, \"probes\": [\"SELECT count(*) FROM orders\"]"));
        JsonNode plan = invoke(deployed, "rollback", event("\"targetVersion\": 2, \"reason\": \"a drill\", \"dryRun\": true, " + bundle()));

        String url = "jdbc:postgresql://" + PostgresServer.TLS_HOST + ":" + server.port() + "/app";
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

        // What RDS's rotation does: a new password on the instance, the new version of the secret.
        String rotated = "Pw-" + UUID.randomUUID();
        server.rotatePassword(masterUser, rotated);
        AwsClients.secretsManager(aws).putSecretValue(request -> request.secretId(secretArn)
                .secretString(JSON.createObjectNode().put("username", masterUser).put("password", rotated).toString()));
        try {
            JsonNode after = invoke(deployed, "migrate", event(bundle()));

            assertThat(after.get("status").asText()).isEqualTo("MIGRATED");
            assertThat(after.get("versionAfter").asText()).isEqualTo("4");
        } finally {
            server.rotatePassword(masterUser, password);
            AwsClients.secretsManager(aws).putSecretValue(request -> request.secretId(secretArn)
                    .secretString(JSON.createObjectNode().put("username", masterUser).put("password", password).toString()));
        }
    }

    @Test
    void theDriftSchedulesEvent_asTheSchedulerSendsIt_findsTheChange_andPublishesIt() throws Exception {
        invoke(deployed, "migrate", event(bundle()));
        db.sql("ALTER TABLE customers ADD COLUMN nickname text");
        String scheduled = TerraformModule.driftScheduleEvent(Map.of("local.database_secret_arns[0]", secretArn));

        JsonNode drift = invoke(deployed, "validate", scheduled);

        assertThat(JSON.readTree(scheduled)).isEqualTo(JSON.readTree("{\"deploymentId\": \"drift-schedule\", \"mode\": \"drift\","
                + " \"database\": {\"secretArn\": \"" + secretArn + "\"}, \"schema\": \"public\"}"));
        assertThat(drift.get("drift").asBoolean()).isTrue();
        assertThat(drift.get("differences")).extracting(difference -> difference.get("name").asText()).contains("public.customers.nickname");
        assertThat(messages("drift-schedule")).extracting(message -> message.get("type").asText()).containsExactly("drift-found");
    }

    @Test
    void aBundleOfAnotherCa_failsTyped_andNothingIsSentToTheDatabase(@TempDir Path otherRoot) {
        new TestCa("Some other Root CA").bundle(otherRoot.resolve("rds-global-bundle.pem"));

        assertThatThrownBy(() -> invoke(deployed.withTaskRoot(otherRoot), "migrate", event(bundle())))
                .isInstanceOf(DatabaseNotTrusted.class)
                .hasMessageStartingWith("database jdbc:postgresql://localhost:" + server.port() + "/app could not be verified over TLS"
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
        DeployedFunctions byAddress = new DeployedFunctions(Map.of(
                "aws_db_instance.this.address", "127.0.0.1",
                "aws_db_instance.this.port", Integer.toString(server.port()),
                "aws_sns_topic.notifications.arn", "arn:aws:sns:us-east-1:123456789012:sluice-notifications",
                "aws_s3_bucket.bundles.id", bucket), taskRoot, aws.endpoint().get());

        assertThatThrownBy(() -> invoke(byAddress, "migrate", event(bundle()))).isInstanceOf(DatabaseNotTrusted.class)
                .hasMessageContaining("127.0.0.1");
    }

    @Test
    void aResultTooLargeForAStateMachine_isKeptWholeInTheBundleBucket() throws Exception {
        Path history = Files.createTempDirectory("sluice-long-history");
        RealisticHistory.write(new ScriptFolder(history), 400);
        Bundle large = Bundle.of(history);
        AwsClients.s3(aws).putObject(request -> request.bucket(bucket).key("releases/large.zip"), RequestBody.fromBytes(large.zip()));

        JsonNode preflight = invoke(deployed, "validate", event("\"mode\": \"preflight\", \"migrations\": {\"s3\": \"s3://" + bucket
                + "/releases/large.zip\", \"sha256\": \"" + large.sha256() + "\"}"));

        String where = preflight.get("fullReport").asText();
        assertThat(where).startsWith("s3://" + bucket + "/reports/deployed-1/validate-").endsWith(".json");
        JsonNode whole = JSON.readTree(AwsClients.s3(aws).getObjectAsBytes(request -> request.bucket(bucket)
                .key(where.substring(("s3://" + bucket + "/").length()))).asByteArray());
        assertThat(whole.get("pending")).hasSize(400);
        assertThat(preflight.at("/truncated/~1pending").asInt()).isEqualTo(400);
    }

    @Test
    void aWholeRelease_throughThePipelinesDefinition_withTheDeployedConfiguration_andItsPreChangeSnapshot() throws Exception {
        Map<String, RequestStreamHandler> functions = deployed.byArn();
        ObjectNode input = (ObjectNode) JSON.readTree(Path.of("events", "pipeline", "release.json").toFile());
        input.put("deploymentId", "release-deployed-" + UUID.randomUUID().toString().substring(0, 8));
        input.putObject("database").put("secretArn", secretArn);
        input.putObject("migrations").put("s3", "s3://" + bucket + "/releases/sample.zip").put("sha256", sample.sha256());
        input.put("rdsSnapshot", instance());
        input.put("autoApproveUpTo", 3);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        LocalResources resources = new LocalResources(functions, LocalApprovals.approving(0, quiet), quiet);

        Execution execution = PipelineCommandLine.execute(Files.readString(PipelineCommandLine.DEFAULT_DEFINITION), input, "deployed-release",
                resources, 0, quiet).execution();

        assertThat(execution.status()).isEqualTo(Execution.Status.SUCCEEDED);
        assertThat(execution.path()).endsWith("Promote", "NotifyDeployed", "Deployed");
        assertThat(db.history()).hasSize(4);
        JsonNode migrate = execution.visits().stream().filter(visit -> visit.state().equals("Migrate")).findFirst().orElseThrow()
                .calls().get(0).result().get("Payload");
        String snapshot = migrate.get("rdsSnapshot").asText();
        assertThat(snapshot).startsWith("sluice-" + instance() + "-" + input.get("deploymentId").asText() + "-v0-");
        List<DBSnapshot> snapshots = AwsClients.rds(aws).describeDBSnapshots(request -> request.dbSnapshotIdentifier(snapshot)).dbSnapshots();
        assertThat(snapshots).extracting(DBSnapshot::dbInstanceIdentifier).containsExactly(instance());
        assertThat(resources.published()).extracting(message -> message.get("type").asText()).containsExactly("deployed");
        assertThat(LocalFunctions.arn("migrate")).isIn(functions.keySet());
    }

    /** The messages the topic got for one deployment, in order. */
    private static List<JsonNode> messages(String deploymentId) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        for (int poll = 0; poll < 5; poll++) {
            for (Message message : sqs().receiveMessage(request -> request.queueUrl(queue).maxNumberOfMessages(10)).messages()) {
                JsonNode body = JSON.readTree(message.body());
                if (body.path("deploymentId").asText().equals(deploymentId)) {
                    messages.add(body);
                }
            }
        }
        return messages;
    }
}
