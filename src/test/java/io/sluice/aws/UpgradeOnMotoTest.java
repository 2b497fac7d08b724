package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

import io.sluice.approval.ApproveCommand;
import io.sluice.cli.LocalFunctions;
import io.sluice.config.SluiceConfig;
import io.sluice.fleet.FleetCommand;
import io.sluice.fleet.FleetExecutions;
import io.sluice.fleet.FleetObjects;
import io.sluice.function.ApproveFunction;
import io.sluice.function.EventCodec;
import io.sluice.function.FullReports;
import io.sluice.function.FunctionBoundary;
import io.sluice.local.LocalUpgrade;
import io.sluice.metrics.InvocationMetrics;
import io.sluice.metrics.MetricsSink;
import io.sluice.testing.BlueGreenPair;
import io.sluice.testing.FunctionUrlEvents;
import io.sluice.testing.MirroredBlueGreen;
import io.sluice.testing.MotoBridge;
import io.sluice.testing.MotoExecutions;
import io.sluice.testing.TestDatabase;
import io.sluice.upgrade.BlueGreenDeployments;
import io.sluice.workflow.Template;

/**
 * The upgrade definition end to end on moto, with nothing recorded: moto's Step Functions engine executes it; its
 * Lambda tasks reach the real handlers in this JVM (through {@link MotoBridge}); the upgrade function makes its Blue/Green
 * deployment in moto's RDS through the real adapter, mirrored on a real 17→18 pair for the data
 * ({@link MirroredBlueGreen}); readiness reads the instance from moto's RDS; the approval is voted through the real
 * approve handler into moto's DynamoDB, and the switchover believes it only because moto's Step Functions and that
 * ledger say so.
 */
class UpgradeOnMotoTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "sluice-approvals";

    private static MotoBridge moto;
    private static SluiceConfig config;
    private static SfnClient sfn;
    private static RdsClient rds;
    private static String role;
    private static String machine;
    private static LambdaClient lambda;

    @BeforeAll
    static void bridge() throws Exception {
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        moto = MotoBridge.start();
        config = LocalFunctions.config("test", Map.of("sluice.aws.enabled", "true", "sluice.aws.endpoint", moto.endpoint(),
                "sluice.aws.region", "us-east-1", "sluice.aws.notification-topic-arn", LocalFunctions.TOPIC_ARN,
                "sluice.aws.approvals-table", TABLE, "sluice.aws.rds-instance", LocalUpgrade.INSTANCE,
                "sluice.aws.upgrade-arn", LocalFunctions.UPGRADE_MACHINE_ARN));
        SluiceConfig.Aws aws = config.aws();
        sfn = AwsClients.stepFunctions(aws);
        rds = AwsClients.rds(aws);
        AwsClients.sns(aws).createTopic(request -> request.name("sluice-notifications"));
        IamClient iam = IamClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.AWS_GLOBAL)
                .endpointOverride(java.net.URI.create(moto.endpoint())).build();
        role = iam.createRole(request -> request.roleName("sluice-upgrade").assumeRolePolicyDocument("{}")).role().arn();
        lambda = LambdaClient.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .endpointOverride(java.net.URI.create(moto.endpoint())).build();
        io.sluice.testing.MotoServer.approvalsTable(AwsClients.dynamoDb(aws), TABLE);
        String definition = Template.render(Files.readString(Path.of("terraform", "statemachine", "upgrade.asl.json")),
                LocalFunctions.templateValues());
        machine = sfn.createStateMachine(request -> request.name("sluice-upgrade").roleArn(role).definition(definition)).stateMachineArn();
        assertThat(machine).isEqualTo(LocalFunctions.UPGRADE_MACHINE_ARN);
    }

    /** A fresh blue instance for each test: what an earlier upgrade left (its old and new instances) removed. */
    @BeforeEach
    void blueInstance() {
        for (DBInstance instance : rds.describeDBInstances().dbInstances()) {
            if (instance.dbInstanceIdentifier().startsWith(LocalUpgrade.INSTANCE)) {
                rds.deleteDBInstance(request -> request.dbInstanceIdentifier(instance.dbInstanceIdentifier()).skipFinalSnapshot(true));
            }
        }
        rds.createDBInstance(request -> request.dbInstanceIdentifier(LocalUpgrade.INSTANCE).engine("postgres").engineVersion("17.6")
                .dbInstanceClass("db.t4g.micro").allocatedStorage(20).masterUsername("postgres").masterUserPassword("secret-password"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (moto != null) {
            moto.close();
        }
    }

    /** The functions, the upgrade's Blue/Green deployments made in moto's RDS and mirrored on {@code pair}. */
    private static void functions(BlueGreenPair pair) throws Exception {
        BlueGreenDeployments deployments = new MirroredBlueGreen(new RdsBlueGreen(() -> rds), pair);
        Map<String, RequestStreamHandler> handlers = LocalFunctions.byArn(config, FullReports.NONE, FleetCommand.over(new EventCodec().mapper(),
                FleetObjects.NONE, "unset", FleetExecutions.NONE, Optional.empty(), target -> { }), deployments,
                AwsAdapters.upgradeExecutions(config.aws()), new RdsInstanceFacts(() -> rds));
        SdkBytes code = SdkBytes.fromByteArray(MotoExecutions.emptyZip());
        for (Map.Entry<String, RequestStreamHandler> function : handlers.entrySet()) {
            String name = function.getKey().substring(function.getKey().lastIndexOf(':') + 1);
            try {
                lambda.createFunction(request -> request.functionName(name).runtime(Runtime.PROVIDED_AL2023).role(role).handler("bootstrap")
                        .code(zip -> zip.zipFile(code)));
            } catch (software.amazon.awssdk.services.lambda.model.ResourceConflictException e) {
                // Created by the other test; its handler is replaced below.
            }
            moto.register(name, function.getValue());
        }
    }

    /** Starts the upgrade of {@code blue} as the start function does: the starter recorded in the ledger, then StartExecution. */
    private static String start(String name, BlueGreenPair pair, TestDatabase blue) throws Exception {
        ObjectNode input = LocalUpgrade.input(pair, blue);
        input.put("deploymentId", name);
        ((ObjectNode) input.get("upgrade")).put("pollSeconds", 1);
        ((ObjectNode) input.get("canary")).put("waitSeconds", 0);
        String execution = LocalFunctions.UPGRADE_MACHINE_ARN.replace(":stateMachine:", ":execution:") + ":" + name;
        new DynamoApprovalLedger(TABLE, () -> AwsClients.dynamoDb(config.aws())).started(execution, name,
                "arn:aws:sts::123456789012:assumed-role/sluice-github-deploy/dave");
        sfn.startExecution(request -> request.stateMachineArn(machine).name(name).input(input.toString()));
        return execution;
    }

    private static void approve(String execution, String deploymentId) throws Exception {
        String token = MotoExecutions.awaitApprovalToken(sfn, execution);
        ApproveFunction approve = new ApproveFunction(new ApproveCommand(new DynamoApprovalLedger(TABLE, () -> AwsClients.dynamoDb(config.aws())),
                new SfnPipelineTasks(() -> sfn, null), ApprovalsTest.APPROVERS), new FunctionBoundary(new EventCodec(),
                new InvocationMetrics(MetricsSink.NONE)));
        String body = JSON.createObjectNode().put("deploymentId", deploymentId).put("execution", execution).put("taskToken", token)
                .put("decision", "approve").put("reason", "read the readiness report").toString();
        FunctionUrlEvents.Response response = FunctionUrlEvents.send(approve, FunctionUrlEvents.request(ApprovalsTest.ALICE, body));
        assertThat(response.status()).as(response.body().toString()).isEqualTo(200);
        assertThat(response.body().path("status").asText()).isEqualTo("APPROVED");
    }

    @Test
    void anApprovedUpgrade_reachesTheSwitchover_onMotosEngine_andRdsKeepsTheOldInstance() throws Exception {
        TestDatabase blue = LocalUpgrade.blue(500);
        BlueGreenPair pair = new BlueGreenPair(LocalUpgrade.INSTANCE, blue, LocalUpgrade::migrate);
        functions(pair);
        String execution = start("upgrade-moto-1", pair, blue);
        approve(execution, "upgrade-moto-1");

        ExecutionStatus status = MotoExecutions.awaitEnd(sfn, execution);

        assertThat(status).as(MotoExecutions.failure(sfn, execution)).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(states(execution)).containsSubsequence("Readiness", "RequestApproval", "CreateBlueGreen", "CheckGreen", "Switchover",
                "WatchWindowOpen", "DeleteDeployment", "NotifyUpgraded", "Upgraded");
        List<DBInstance> instances = rds.describeDBInstances().dbInstances();
        assertThat(instances).filteredOn(instance -> instance.dbInstanceIdentifier().equals(LocalUpgrade.INSTANCE))
                .extracting(DBInstance::engineVersion).containsExactly("18.1");
        assertThat(instances).filteredOn(instance -> instance.dbInstanceIdentifier().equals(LocalUpgrade.INSTANCE + "-old1"))
                .extracting(DBInstance::engineVersion).containsExactly("17.6");
        assertThat(rds.describeBlueGreenDeployments(request -> { }).blueGreenDeployments()).isEmpty();
        JsonNode output = JSON.readTree(sfn.describeExecution(request -> request.executionArn(execution)).output());
        assertThat(output.at("/results/cleanup/oldInstance").asText()).isEqualTo(LocalUpgrade.INSTANCE + "-old1");
        assertThat(output.at("/results/green/greenVersion").asText()).startsWith("18.");
    }

    @Test
    void aFailingGreenCheck_onMotosEngine_deletesTheDeploymentAndGreen() throws Exception {
        TestDatabase blue = LocalUpgrade.blue(200);
        BlueGreenPair pair = new BlueGreenPair(LocalUpgrade.INSTANCE, blue, green -> {
            LocalUpgrade.migrate(green);
            green.sql("DROP INDEX orders_customer_id_idx");
        });
        functions(pair);
        String execution = start("upgrade-moto-2", pair, blue);
        approve(execution, "upgrade-moto-2");

        ExecutionStatus status = MotoExecutions.awaitEnd(sfn, execution);

        assertThat(status).isEqualTo(ExecutionStatus.FAILED);
        assertThat(states(execution)).containsSubsequence("CreateBlueGreen", "CheckGreen", "GreenRefused", "DeleteGreen", "NotifyGreenDeleted",
                "NotUpgraded").doesNotContain("Switchover");
        assertThat(rds.describeBlueGreenDeployments(request -> { }).blueGreenDeployments()).isEmpty();
        assertThat(rds.describeDBInstances().dbInstances()).extracting(DBInstance::dbInstanceIdentifier)
                .as("green deleted with its deployment").noneMatch(name -> name.startsWith(LocalUpgrade.INSTANCE + "-green-"));
        assertThat(BlueGreenPair.greenDatabaseExists(blue.name())).isFalse();
    }

    private static List<String> states(String execution) {
        return sfn.getExecutionHistory(request -> request.executionArn(execution).maxResults(1000)).events().stream()
                .filter(event -> event.stateEnteredEventDetails() != null).map(event -> event.stateEnteredEventDetails().name()).toList();
    }
}
