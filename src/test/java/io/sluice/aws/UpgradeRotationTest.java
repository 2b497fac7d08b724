package io.sluice.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import io.sluice.cli.LocalFunctions;
import io.sluice.error.NotAllowed;
import io.sluice.function.EventCodec;
import io.sluice.event.Finding;
import io.sluice.event.FindingCode;
import io.sluice.event.UpgradeRequest;
import io.sluice.testing.MotoServer;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;
import io.sluice.upgrade.BlueGreen;
import io.sluice.upgrade.BlueGreenDeployments;
import io.sluice.upgrade.RdsInstances;
import io.sluice.upgrade.UpgradeCommand;
import io.sluice.upgrade.UpgradeExecutions;
import io.sluice.upgrade.UpgradeReadiness;

/**
 * A rotation of the master secret during an engine upgrade (logical replication carries rows, never a role's password):
 * readiness refuses an upgrade while a rotation falls within the window, and the switchover refuses once the secret
 * changed after green was created. The secret and its rotation schedule are Secrets Manager's (moto), read as the
 * functions read them (DescribeSecret); after the module's engine upgrade, readiness also holds the module's declared
 * engine to the instance's.
 */
class UpgradeRotationTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String INSTANCE = "orders-db";
    private static final String MACHINE = LocalFunctions.UPGRADE_MACHINE_ARN;

    private SecretsManagerClient secrets;
    private String masterSecret;

    @BeforeEach
    void moto() {
        secrets = MotoServer.client(SecretsManagerClient.builder());
        masterSecret = secrets.createSecret(request -> request.name("sluice/database-master-" + UUID.randomUUID())
                .secretString(JSON.createObjectNode().put("engine", "postgres").put("username", "sluice_admin").put("password", "pw-1")
                        .toString())).arn();
    }

    /** The rotation schedule as the module sets it: AWS's rotation function, every {@code days} days. */
    private void rotatedEvery(int days) {
        IamClient iam = MotoServer.client(IamClient.builder());
        String role = iam.createRole(request -> request.roleName("rotation-" + UUID.randomUUID()).assumeRolePolicyDocument("{}")).role().arn();
        LambdaClient lambda = MotoServer.client(LambdaClient.builder());
        String function = lambda.createFunction(request -> request.functionName("master-rotation-" + UUID.randomUUID()).role(role)
                .runtime(Runtime.PYTHON3_11).handler("rotation.handler").code(code -> code.zipFile(SdkBytes.fromByteArray(zip()))))
                .functionArn();
        secrets.rotateSecret(request -> request.secretId(masterSecret).rotationLambdaARN(function)
                .rotationRules(rules -> rules.automaticallyAfterDays((long) days)).rotateImmediately(false));
    }

    private static byte[] zip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("rotation.py"));
            zip.write("def handler(event, context):\n    pass\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    private List<Finding> readiness(String moduleEngine) throws Exception {
        RdsInstances instances = identifier -> Optional.of(new RdsInstances.Instance(identifier, "17.11", null));
        UpgradeReadiness readiness = new UpgradeReadiness(instances, Optional.of(INSTANCE), new SecretRotationFacts(() -> secrets),
                Optional.of(masterSecret), Optional.of(moduleEngine), Clock.systemUTC());
        TestDatabase db = PostgresServer.get().newDatabase();
        try (Connection connection = db.connect()) {
            return readiness.check(connection, 18, INSTANCE);
        }
    }

    private static Optional<Finding> finding(List<Finding> findings, FindingCode code) {
        return findings.stream().filter(finding -> finding.code() == code).findFirst();
    }

    @Test
    void aRotationDueWithinTheWindow_failsReadiness_andSaysHowToMoveIt() throws Exception {
        rotatedEvery(1);
        Instant next = secrets.describeSecret(request -> request.secretId(masterSecret)).nextRotationDate();
        assertThat(next).isBetween(Instant.now(), Instant.now().plus(UpgradeReadiness.UPGRADE_WINDOW));

        Finding due = finding(readiness("17"), FindingCode.ROTATION_DUE).orElseThrow();

        assertThat(due.message()).isEqualTo("the master secret " + masterSecret + " rotates next at " + next + ", within the 48 h an"
                + " upgrade may hold green: logical replication does not carry a password change to green, so after the switchover the"
                + " secret and the database would disagree and every function would fail to log in. Rotate it now (aws secretsmanager"
                + " rotate-secret --secret-id " + masterSecret + "), which moves the next rotation a full period away, then check again");
    }

    @Test
    void aRotationAFullPeriodAway_passes_andSoDoesASecretWithoutASchedule() throws Exception {
        assertThat(finding(readiness("17"), FindingCode.ROTATION_DUE)).as("no schedule").isEmpty();
        rotatedEvery(30);
        assertThat(finding(readiness("17"), FindingCode.ROTATION_DUE)).as("30 days away").isEmpty();
    }

    @Test
    void aModuleThatStillDeclaresTheOldEngine_failsReadiness_namingTheVariables() throws Exception {
        Finding mismatch = finding(readiness("16"), FindingCode.MODULE_VERSION_MISMATCH).orElseThrow();

        assertThat(mismatch.message()).isEqualTo("orders-db runs PostgreSQL 17.11, but this deployment's Terraform declares"
                + " database_engine_version = \"16\": its next plan proposes a downgrade. After the last switchover set"
                + " database_engine_version = \"17\" (the parameter group's family follows it) and upgrade_target_engine_version = \"\","
                + " apply, then check again");
        assertThat(finding(readiness("17"), FindingCode.MODULE_VERSION_MISMATCH)).isEmpty();
    }

    /**
     * The rotation that came anyway (a schedule moved, a person rotating by hand) between creating green and the
     * switchover: the switchover is refused, nothing switches, and the message says how to start again.
     */
    @Test
    void aSecretChangedAfterGreenWasCreated_refusesTheSwitchover_andNothingSwitches() throws Exception {
        // Green created after the secret's last change (Secrets Manager's dates are whole seconds).
        String created = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS).toString();
        AtomicBoolean switched = new AtomicBoolean();
        BlueGreen available = new BlueGreen("bgd-rotation0000000", "sluice-rot", "AVAILABLE", INSTANCE, INSTANCE + "-green-abcdef",
                "orders-db-green.example:5432", null, created);
        BlueGreenDeployments deployments = new BlueGreenDeployments() {
            @Override
            public BlueGreen create(String instance, String name, String version, String group, String deploymentId) {
                throw new AssertionError("nothing is created");
            }

            @Override
            public BlueGreen describe(String id) {
                return available;
            }

            @Override
            public BlueGreen switchover(String id, int timeoutSeconds) {
                switched.set(true);
                return available;
            }

            @Override
            public BlueGreen delete(String id, boolean deleteGreen) {
                throw new AssertionError("nothing is deleted");
            }
        };
        String execution = MACHINE.replace(":stateMachine:", ":execution:") + ":rotation";
        UpgradeExecutions approved = arn -> Optional.of(new UpgradeExecutions.UpgradeExecution(MACHINE, "RUNNING",
                JSON.createObjectNode().put("deploymentId", "rot").put("rdsInstance", INSTANCE), Optional.of("approved"), List.of("alice")));
        UpgradeCommand command = new UpgradeCommand(deployments, approved, Optional.of(INSTANCE), Optional.of(MACHINE), null, null,
                Clock.systemUTC(), new SecretRotationFacts(() -> secrets), Optional.of(masterSecret), Optional.empty(), Optional.empty());
        TestDatabase blue = PostgresServer.get().newDatabase();
        UpgradeRequest switchover = new EventCodec().read(("{\"deploymentId\": \"rot\", \"mode\": \"switchover\", \"rdsInstance\": \""
                + INSTANCE + "\", \"blueGreenDeploymentId\": \"" + available.id() + "\", \"execution\": \"" + execution + "\", \"database\": "
                + blue.targetJson() + "}").getBytes(StandardCharsets.UTF_8), UpgradeRequest.class);

        // Unchanged since green was created: the switchover goes ahead.
        command.run(switchover);
        assertThat(switched.getAndSet(false)).isTrue();

        Thread.sleep(2_100);
        secrets.putSecretValue(request -> request.secretId(masterSecret).secretString(JSON.createObjectNode().put("engine", "postgres")
                .put("username", "sluice_admin").put("password", "pw-2").toString()));
        Instant changed = secrets.describeSecret(request -> request.secretId(masterSecret)).lastChangedDate();

        assertThatThrownBy(() -> command.run(switchover)).isInstanceOf(NotAllowed.class).hasMessage("the master secret " + masterSecret
                + " changed at " + changed + ", after green of bgd-rotation0000000 was created at " + created + ": logical replication"
                + " does not carry a password, so after a switchover the secret and the database would disagree and every function"
                + " would fail to log in. Delete the deployment (mode delete, deleteGreen true) and upgrade again; nothing was switched");
        assertThat(switched).isFalse();
    }
}
