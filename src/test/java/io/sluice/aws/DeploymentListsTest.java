package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.sync.RequestBody;

import io.sluice.error.InvalidRequest;
import io.sluice.error.NotAllowed;
import io.sluice.testing.DeployedEnvironment;
import io.sluice.testing.DeployedFunctions;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;

/**
 * The deployment's lists in the lists object, as functions.tf writes it and the functions read it (moto's S3 and
 * Secrets Manager, the environment Terraform gives the functions): a fleet of 500 secrets, which Lambda's 4 KB
 * environment could not hold, allows each of them and nothing else; a lists object rewritten by someone who may write
 * the bucket but not the functions' configuration allows nothing at all.
 */
class DeploymentListsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FLEET_MASTER = "fleet_master";
    private static final String FLEET_PASSWORD = "Pw-fleet-" + UUID.randomUUID();

    private DeployedEnvironment aws;

    @BeforeEach
    void environment() {
        aws = DeployedEnvironment.get();
    }

    /** A fleet database of its own, and its secret as a rotation schedule writes one (host, port, dbname, ...). */
    private TestDatabase fleetDatabase(List<String> arns) {
        String name = "fleet_" + UUID.randomUUID().toString().substring(0, 8);
        // Each fleet database's own master user (never the deployment's, whose secret the other tests use).
        TestDatabase database = aws.server.freshDatabase(name, FLEET_MASTER, FLEET_PASSWORD);
        String secret = JSON.createObjectNode().put("engine", "postgres").put("host", PostgresServer.TLS_HOST)
                .put("port", aws.server.port()).put("dbname", name).put("username", FLEET_MASTER).put("password", FLEET_PASSWORD).toString();
        arns.add(AwsClients.secretsManager(aws.aws).createSecret(request -> request.name("fleet/" + name + "/sluice-credentials")
                .secretString(secret)).arn());
        return database;
    }

    private static JsonNode migrate(DeployedFunctions functions, String secretArn, String migrations) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String event = "{\"deploymentId\": \"fleet-1\", \"database\": {\"secretArn\": \"" + secretArn + "\"}, " + migrations + "}";
        functions.handler("migrate").handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private DeployedFunctions withLists(String[] lists) {
        return aws.functions(Map.of("aws_s3_object.deployment_lists.key", lists[0], "local.deployment_lists_sha256", lists[1]));
    }

    @Test
    void aFleetOf500Secrets_allowsTheFiveHundredth_andRefusesTheFiveHundredAndFirst() throws Exception {
        List<String> fleet = new ArrayList<>();
        for (int i = 0; i < 499; i++) {
            fleet.add(String.format("arn:aws:secretsmanager:us-east-1:123456789012:secret:fleet/orders-%03d/sluice-migrations-credentials-AbCdEf",
                    i));
        }
        TestDatabase last = fleetDatabase(fleet);
        List<String> unlisted = new ArrayList<>();
        TestDatabase outside = fleetDatabase(unlisted);
        List<String> parity = new ArrayList<>();
        TestDatabase staging = fleetDatabase(parity);
        DeployedFunctions functions = withLists(aws.lists(fleet, parity, List.of()));
        assertThat(fleet).hasSize(500);
        assertThat(functions.terraformEnvironment("migrate").toString().length()).as("the environment holds none of the 500")
                .isLessThan(4096);

        JsonNode migrated = migrate(functions, fleet.get(499), aws.sampleMigrations());

        assertThat(migrated.path("status").asText()).isEqualTo("MIGRATED");
        assertThat(last.tableExists("flyway_schema_history")).isTrue();
        assertThatThrownBy(() -> migrate(functions, unlisted.get(0), aws.sampleMigrations())).isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'database.secretArn': " + unlisted.get(0) + " is not a secret this deployment may use (the lists"
                        + " object's databaseSecrets: " + fleet.get(0) + ", " + fleet.get(1) + ", " + fleet.get(2) + " and 497 more)");
        assertThat(outside.tableExists("flyway_schema_history")).isFalse();
        // The parity database is validate's to read, never migrate's to change.
        assertThatThrownBy(() -> migrate(functions, parity.get(0), aws.sampleMigrations())).isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("field 'database.secretArn': " + parity.get(0) + " is not a secret this deployment may use");
        assertThat(staging.tableExists("flyway_schema_history")).isFalse();
    }

    /**
     * The attack: who may write the bundle bucket (a CI role uploading releases) rewrites the lists object to add a
     * database of their choosing. The functions' environment names the object's SHA-256, so the rewritten object is
     * refused, and with it every event: nothing connects, not even to a database the true lists allow.
     */
    @Test
    void aListsObjectRewrittenInTheBucket_allowsNothing() throws Exception {
        List<String> allowed = new ArrayList<>();
        TestDatabase listed = fleetDatabase(allowed);
        List<String> attackers = new ArrayList<>();
        TestDatabase target = fleetDatabase(attackers);
        String[] lists = aws.lists(allowed, List.of(), List.of());
        List<String> widened = new ArrayList<>(allowed);
        widened.addAll(attackers);
        String forged = JSON.createObjectNode().set("databaseSecrets", JSON.valueToTree(widened)).toString();
        AwsClients.s3(aws.aws).putObject(request -> request.bucket(aws.bucket).key(lists[0]), RequestBody.fromString(forged));
        DeployedFunctions functions = withLists(lists);

        for (String secret : List.of(attackers.get(0), allowed.get(0))) {
            assertThatThrownBy(() -> migrate(functions, secret, aws.sampleMigrations())).isInstanceOf(NotAllowed.class).hasMessageMatching(
                    "the deployment's lists object s3://" + aws.bucket + "/" + lists[0].replace(".", "\\.") + " has SHA-256 [0-9a-f]{64}, not the "
                            + lists[1] + " the function's configuration names \\(sluice\\.aws\\.lists-sha256\\): it was written by something"
                            + " other than this deployment's Terraform; nothing is allowed");
        }
        assertThat(target.tableExists("flyway_schema_history")).isFalse();
        assertThat(listed.tableExists("flyway_schema_history")).isFalse();
    }

    /**
     * The approvers come from the lists object too: whoever it names votes under that name (the vote then reaches Step
     * Functions, where moto has no such execution), and nobody else does; the configuration's own list adds to it.
     */
    @Test
    void theApproversOfTheListsObject_areTheOnesWhoMayVote() {
        String alice = "arn:aws:sts::123456789012:assumed-role/DatabaseReleaseApprovers/alice";
        String mallory = "arn:aws:sts::123456789012:assumed-role/DatabaseReleaseApprovers/mallory";
        String[] lists = aws.lists(List.of(aws.secretArn), List.of(), List.of(alice + "=alice"));
        io.sluice.config.SluiceConfig config = withLists(lists).config("approve");
        io.sluice.approval.ApproveCommand approve = new AwsAdapters().approveCommand(config, AwsAdapters.listsFor(config.aws()));
        io.sluice.event.ApproveRequest vote = new io.sluice.event.ApproveRequest(io.sluice.event.DeploymentId.of("fleet-1"),
                "arn:aws:states:us-east-1:123456789012:execution:sluice-pipeline:fleet-1", "token", "approve", null);

        assertThatThrownBy(() -> approve.run(vote, new io.sluice.event.Caller(mallory))).isInstanceOf(NotAllowed.class)
                .hasMessage(mallory + " is not an approver (sluice.approval.approvers); nothing was recorded");
        assertThatThrownBy(() -> approve.run(vote, new io.sluice.event.Caller(alice))).as("alice is an approver: her vote reaches Step"
                + " Functions").isNotInstanceOf(NotAllowed.class);
    }

    /**
     * The attacks of the review: an event names a secret by its bare name. Secrets Manager resolves a name in the
     * function's own account and region, so the name of a listed ARN from another region or account reached a local
     * secret nobody listed; and a name outlives its secret, so a listed secret deleted and made again (another ARN,
     * another database) was reached by its name. Only the exact text of a listed entry is allowed.
     */
    @Test
    void aBareName_neverStandsForAListedArn_ofAnotherRegion_orOfASecretMadeAgain() throws Exception {
        List<String> local = new ArrayList<>();
        TestDatabase unlisted = fleetDatabase(local);
        String name = local.get(0).substring(local.get(0).indexOf(":secret:") + ":secret:".length(), local.get(0).length() - 7);
        String foreign = "arn:aws:secretsmanager:eu-west-1:999999999999:secret:" + name + "-AbCdEf";
        List<String> madeAgain = new ArrayList<>();
        TestDatabase original = fleetDatabase(madeAgain);
        String deleted = madeAgain.get(0);
        String madeAgainName = deleted.substring(deleted.indexOf(":secret:") + ":secret:".length(), deleted.length() - 7);
        AwsClients.secretsManager(aws.aws).deleteSecret(request -> request.secretId(deleted).forceDeleteWithoutRecovery(true));
        AwsClients.secretsManager(aws.aws).createSecret(request -> request.name(madeAgainName).secretString("{\"engine\": \"postgres\","
                + " \"host\": \"" + PostgresServer.TLS_HOST + "\", \"port\": " + aws.server.port() + ", \"dbname\": \"" + unlisted.name()
                + "\", \"username\": \"" + FLEET_MASTER + "\", \"password\": \"" + FLEET_PASSWORD + "\"}"));
        DeployedFunctions functions = withLists(aws.lists(List.of(aws.secretArn, foreign, deleted), List.of(), List.of()));

        for (String given : List.of(name, madeAgainName, "arn:aws:secretsmanager:us-east-1:123456789012:secret:" + name)) {
            assertThatThrownBy(() -> migrate(functions, given, aws.sampleMigrations())).as(given).isInstanceOf(InvalidRequest.class)
                    .hasMessageStartingWith("field 'database.secretArn': " + given + " is not a secret this deployment may use");
        }
        assertThat(unlisted.tableExists("flyway_schema_history")).isFalse();
        assertThat(original.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void aListsObjectThatIsMissing_allowsNothing_andSaysWhy() {
        DeployedFunctions functions = withLists(new String[] {"config/lists-" + "0".repeat(64) + ".json", "0".repeat(64)});

        assertThatThrownBy(() -> migrate(functions, aws.secretArn, aws.sampleMigrations())).isInstanceOf(NotAllowed.class)
                .hasMessage("the deployment's lists object s3://" + aws.bucket + "/config/lists-" + "0".repeat(64) + ".json"
                        + " (sluice.aws.lists-object) does not exist; nothing is allowed until Terraform has written it");
    }
}
