package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import io.sluice.approval.ApproveCommand;
import io.sluice.approval.StartCommand;
import io.sluice.cli.LocalFunctions;
import io.sluice.cli.PipelineCommandLine;
import io.sluice.command.MigrateCommand;
import io.sluice.config.SluiceConfig;
import io.sluice.event.DeploymentId;
import io.sluice.function.ApproveFunction;
import io.sluice.function.StartFunction;
import io.sluice.function.EventCodec;
import io.sluice.function.FunctionBoundary;
import io.sluice.metrics.InvocationMetrics;
import io.sluice.metrics.MetricsSink;
import io.sluice.migration.Backoff;
import io.sluice.migration.ScriptLoader;
import io.sluice.testing.Bundle;
import io.sluice.testing.FunctionUrlEvents;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.MigrateSettings;
import io.sluice.testing.MotoBridge;
import io.sluice.testing.MotoExecutions;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.workflow.Template;

/**
 * The release pipeline end to end on moto, with nothing recorded: moto's Step Functions engine executes the rendered
 * definition; its Lambda tasks reach the real handlers in this JVM (through {@link MotoBridge}), which take the
 * database from a Secrets Manager secret in the format RDS writes and the scripts from a zip in S3 checked against its
 * SHA-256; the approval state publishes its task token to SNS, two approvers invoke the real {@code approve} handler,
 * whose votes land in DynamoDB and whose SendTaskSuccess lets the execution go on; every message is read back from an
 * SQS queue subscribed to the topic.
 */
class EndToEndTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "sluice-approvals";

    private static MotoBridge moto;
    private static SluiceConfig config;
    private static SfnClient sfn;
    private static SqsClient sqs;
    private static String queue;
    private static String role;

    @BeforeAll
    static void bridge() throws Exception {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        moto = MotoBridge.start();
        config = LocalFunctions.config("test", Map.of("sluice.aws.enabled", "true", "sluice.aws.endpoint", moto.endpoint(),
                "sluice.aws.region", "us-east-1", "sluice.aws.database-ssl-mode", "disable",
                "sluice.aws.notification-topic-arn", LocalFunctions.TOPIC_ARN, "sluice.aws.approvals-table", TABLE));
        sfn = AwsClients.stepFunctions(config.aws());
        SluiceConfig.Aws aws = config.aws();
        var sns = AwsClients.sns(aws);
        String topic = sns.createTopic(request -> request.name("sluice-notifications")).topicArn();
        sqs = SqsClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(java.net.URI.create(moto.endpoint())).build();
        queue = sqs.createQueue(request -> request.queueName("notifications")).queueUrl();
        String queueArn = sqs.getQueueAttributes(request -> request.queueUrl(queue).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        sns.subscribe(request -> request.topicArn(topic).protocol("sqs").endpoint(queueArn)
                .attributes(Map.of("RawMessageDelivery", "true")));
        IamClient iam = IamClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.AWS_GLOBAL)
                .endpointOverride(java.net.URI.create(moto.endpoint())).build();
        role = iam.createRole(request -> request.roleName("sluice").assumeRolePolicyDocument("{}")).role().arn();
        LambdaClient lambda = LambdaClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(java.net.URI.create(moto.endpoint())).build();
        SdkBytes code = SdkBytes.fromByteArray(MotoExecutions.emptyZip());
        for (Map.Entry<String, RequestStreamHandler> function : LocalFunctions.byArn(config).entrySet()) {
            String name = function.getKey().substring(function.getKey().lastIndexOf(':') + 1);
            lambda.createFunction(request -> request.functionName(name).runtime(Runtime.PROVIDED_AL2023).role(role).handler("bootstrap")
                    .code(zip -> zip.zipFile(code)));
            moto.register(name, function.getValue());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void release_needingTwoApprovals_bundleFromS3_databaseFromASecret_runsToDeployed_onMotosEngine(@TempDir Path dir) throws Exception {
        SluiceConfig.Aws aws = config.aws();
        // The application's database, at the release before this one (V1, V2 of the sample scripts).
        TestDatabase db = PostgresServer.get().newDatabase();
        ScriptFolder release = new ScriptFolder(dir.resolve("migrations"))
                .with("V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL);\n")
                .with("U1__customers.sql", "DROP TABLE customers;\n")
                .with("V2__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint NOT NULL REFERENCES customers (id),"
                        + " status text NOT NULL DEFAULT 'new');\n")
                .with("U2__orders.sql", "DROP TABLE orders;\n");
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(release.source()).build(), Duration.ofMinutes(1));
        // This release: a CHECK constraint on a table in use, a major change (two approvals).
        release.with("V3__status_check.sql", "ALTER TABLE orders ADD CONSTRAINT orders_status_known CHECK (status IN ('new', 'paid')) NOT VALID;\n")
                .with("U3__status_check.sql", "ALTER TABLE orders DROP CONSTRAINT orders_status_known;\n");

        // What Terraform and the deploy job put in place.
        String secretArn = AwsClients.secretsManager(aws).createSecret(request -> request.name("app/db")
                .secretString(JSON.createObjectNode().put("engine", "postgres").put("host", "127.0.0.1").put("port", port(db))
                        .put("dbname", db.name()).put("username", PostgresServer.APP_USER).put("password", PostgresServer.APP_PASSWORD)
                        .toString())).arn();
        Bundle bundle = Bundle.of(release.root());
        var s3 = AwsClients.s3(aws);
        s3.createBucket(request -> request.bucket("sluice-bundles"));
        s3.putObject(request -> request.bucket("sluice-bundles").key("releases/app-3.zip"), RequestBody.fromBytes(bundle.zip()));
        String sha256 = bundle.sha256();
        AwsClients.dynamoDb(aws).createTable(request -> request.tableName(TABLE).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(AttributeDefinition.builder().attributeName("execution").attributeType(ScalarAttributeType.S).build(),
                        AttributeDefinition.builder().attributeName("entry").attributeType(ScalarAttributeType.S).build())
                .keySchema(KeySchemaElement.builder().attributeName("execution").keyType(KeyType.HASH).build(),
                        KeySchemaElement.builder().attributeName("entry").keyType(KeyType.RANGE).build()));
        String definition = Template.render(Files.readString(PipelineCommandLine.DEFAULT_DEFINITION), LocalFunctions.templateValues());
        String machine = sfn.createStateMachine(request -> request.name("sluice-pipeline").roleArn(role).definition(definition))
                .stateMachineArn();
        DynamoApprovalLedger ledger = new DynamoApprovalLedger(TABLE, () -> AwsClients.dynamoDb(aws));
        SfnPipelineTasks tasks = new SfnPipelineTasks(() -> AwsClients.stepFunctions(aws), machine);
        FunctionBoundary boundary = new FunctionBoundary(new EventCodec(), new InvocationMetrics(MetricsSink.NONE));
        ApproveFunction approve = new ApproveFunction(new ApproveCommand(ledger, tasks, ApprovalsTest.APPROVERS), boundary);
        StartFunction start = new StartFunction(new StartCommand(ledger, tasks), boundary);

        ObjectNode input = JSON.createObjectNode().put("deploymentId", "release-3");
        input.putObject("database").put("secretArn", secretArn);
        input.putObject("migrations").put("s3", "s3://sluice-bundles/releases/app-3.zip").put("sha256", sha256);
        input.put("autoApproveUpTo", 1);
        ObjectNode canary = input.putObject("canary").put("parameterName", "/app/release/canary-percent").put("waitSeconds", 0);
        canary.putArray("probes").add("SELECT count(*) FROM orders WHERE status = 'new'");
        FunctionUrlEvents.Response started = FunctionUrlEvents.send(start, FunctionUrlEvents.request(
                "arn:aws:sts::123456789012:assumed-role/sluice-github-deploy/dave", input.toString()));
        String execution = started.body().get("execution").asText();

        String token = MotoExecutions.awaitApprovalToken(sfn, execution);
        JsonNode first = vote(approve, execution, token, ApprovalsTest.ALICE);
        List<String> historyWhileWaiting = db.history();
        JsonNode second = vote(approve, execution, token, ApprovalsTest.BOB);
        ExecutionStatus status = MotoExecutions.awaitEnd(sfn, execution);

        assertThat(first.get("status").asText()).isEqualTo("PENDING");
        assertThat(historyWhileWaiting).as("nothing migrated before the second approval").hasSize(2);
        assertThat(second.get("status").asText()).isEqualTo("APPROVED");
        assertThat(status).as(MotoExecutions.failure(sfn, execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(db.history()).containsExactly("1|V1__customers.sql|t", "2|V2__orders.sql|t",
                "3|V3__status_check.sql|t");
        JsonNode output = JSON.readTree(sfn.describeExecution(request -> request.executionArn(execution)).output());
        assertThat(output.at("/results/approval/approvers").toString()).isEqualTo("[\"alice\",\"bob\"]");
        assertThat(output.at("/results/migrate/report/versionAfter").asText()).isEqualTo("3");
        List<JsonNode> messages = messages("release-3");
        assertThat(messages).extracting(message -> message.path("type").asText() + " " + message.path("deploymentId").asText())
                .containsExactly("approval-requested release-3", "deployed release-3");
        assertThat(messages.get(0).path("approvalsRequired").asInt()).isEqualTo(2);
        assertThat(messages.get(1).path("migrated").asText()).isEqualTo("3");
        assertThat(AwsClients.dynamoDb(aws).scan(request -> request.tableName(TABLE)).items().stream()
                .map(item -> item.get("entry").s() + " " + (item.containsKey("decision") ? item.get("decision").s() : item.get("by").s())))
                .containsExactlyInAnyOrder("#started-by arn:aws:sts::123456789012:assumed-role/sluice-github-deploy/dave", "vote#alice approve",
                        "vote#bob approve", "#decision approved");
        assertThat(Files.list(Path.of(System.getProperty("java.io.tmpdir"), "sluice-bundles")).map(path -> path.getFileName().toString()))
                .as("the bundle unpacked once, under its digest").contains(sha256);
    }

    @Test
    void restoreWorkflow_restoresTheReleasesSnapshot_untilTheNewInstanceIsAvailable_andPublishesItsEndpoint() throws Exception {
        SluiceConfig.Aws aws = config.aws();
        var rds = AwsClients.rds(aws);
        rds.createDBInstance(request -> request.dbInstanceIdentifier("shop-db").engine("postgres").dbInstanceClass("db.t4g.micro")
                .allocatedStorage(20).masterUsername("postgres").masterUserPassword("secret-password"));
        TestDatabase db = PostgresServer.get().newDatabase();
        new MigrateCommand(new ScriptLoader(Sluice.files()), Sluice.connector(), Sluice.catalog(), MigrateSettings.defaults(),
                Backoff.THREAD_SLEEP, new RdsSnapshots(() -> rds))
                .run(MigrateEvent.against(db.target()).deploymentId(DeploymentId.of("release-8")).rdsSnapshot("shop-db").build(),
                        Duration.ofMinutes(1));
        ObjectNode definition = (ObjectNode) JSON.readTree(Template.render(
                Files.readString(Path.of("terraform", "statemachine", "restore.asl.json")), LocalFunctions.templateValues()));
        String machine = sfn.createStateMachine(request -> request.name("sluice-restore").roleArn(role).definition(definition.toString()))
                .stateMachineArn();
        ObjectNode input = JSON.createObjectNode().put("deploymentId", "release-8").put("targetVersion", "0")
                .put("reason", "checkout broke after release-8").put("requestedBy", "oncall@example.com").put("rdsInstance", "shop-db");
        input.set("database", JSON.readTree(db.targetJson()));

        String execution = sfn.startExecution(request -> request.stateMachineArn(machine).name("restore-8").input(input.toString()))
                .executionArn();
        ExecutionStatus status = MotoExecutions.awaitEnd(sfn, execution);

        assertThat(status).as(MotoExecutions.failure(sfn, execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
        JsonNode output = JSON.readTree(sfn.describeExecution(request -> request.executionArn(execution)).output());
        String instance = output.at("/restore/instance").asText();
        assertThat(instance).startsWith("shop-db-restored-");
        var restored = rds.describeDBInstances(request -> request.dbInstanceIdentifier(instance)).dbInstances().get(0);
        String endpoint = restored.endpoint().address() + ":" + restored.endpoint().port();
        assertThat(output.at("/restore/endpoint").asText()).isEqualTo(endpoint);
        assertThat(output.at("/restore/status").asText()).isEqualTo("available");
        assertThat(output.at("/restore/snapshot").asText()).startsWith("sluice-shop-db-release-8-v0-");
        assertThat(messages("release-8")).extracting(message -> message.path("type").asText() + " " + message.path("instance").asText()
                + " " + message.path("endpoint").asText()).containsExactly("restored " + instance + " " + endpoint);
        assertThat(db.rows("SELECT result, requested_by FROM sluice.rollback_audit")).containsExactly("RESTORE_STARTED|oncall@example.com");
    }

    private static JsonNode vote(ApproveFunction approve, String execution, String token, String principal) throws Exception {
        String body = JSON.createObjectNode().put("deploymentId", "release-3").put("execution", execution).put("taskToken", token)
                .put("decision", "approve").put("reason", "read the plan").toString();
        FunctionUrlEvents.Response response = FunctionUrlEvents.send(approve, FunctionUrlEvents.request(principal, body));
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        return response.body();
    }

    /** The messages the topic got for one deployment, in order, from the SQS queue subscribed to it. */
    private static List<JsonNode> messages(String deploymentId) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        for (int poll = 0; poll < 10; poll++) {
            for (Message message : sqs.receiveMessage(request -> request.queueUrl(queue).maxNumberOfMessages(10)).messages()) {
                JsonNode body = JSON.readTree(message.body());
                if (body.path("deploymentId").asText().equals(deploymentId)) {
                    messages.add(body);
                }
            }
        }
        return messages;
    }

    private static int port(TestDatabase db) {
        String url = db.jdbcUrl();
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1, url.lastIndexOf('/')));
    }
}
