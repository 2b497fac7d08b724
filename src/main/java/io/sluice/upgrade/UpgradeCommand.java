package io.sluice.upgrade;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.error.NotAllowed;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.JdbcUrl;
import io.sluice.event.UpgradeRequest;
import io.sluice.migration.DatabaseConnector;
import io.sluice.upgrade.UpgradeExecutions.UpgradeExecution;

/**
 * The upgrade function's five modes, each one step of an engine upgrade through a Blue/Green deployment. Every mode
 * acts on this deployment's own instance only ({@code sluice.aws.rds-instance}), and on a Blue/Green deployment only
 * when RDS says it is that instance's. The switchover believes nothing in its event: the execution it names must be a
 * running execution of this deployment's upgrade state machine for the same upgrade and instance, approved in the
 * approvals ledger (which only approvers other than its starter reach).
 */
public final class UpgradeCommand {

    private static final Logger LOG = Logger.getLogger(UpgradeCommand.class);
    /** A check of green can run ANALYZE on a large database: reads may take this long before the socket gives up. */
    private static final Duration CHECK_SOCKET_TIMEOUT = Duration.ofMinutes(14);
    /** How long the old instance is kept after a switchover before the message says it may be deleted. */
    static final int KEEP_OLD_DAYS = 7;

    private final BlueGreenDeployments deployments;
    private final UpgradeExecutions executions;
    private final Optional<String> instance;
    private final Optional<String> upgradeMachine;
    private final DatabaseConnector connector;
    private final GreenCheck green;
    private final Clock clock;
    private final SecretRotations rotations;
    private final Optional<String> masterSecret;
    private final Optional<String> targetParameterGroup;
    private final Optional<String> targetEngineVersion;

    /**
     * @param instance       the RDS instance this deployment may upgrade ({@code sluice.aws.rds-instance}); absent: none
     * @param upgradeMachine the upgrade state machine ({@code sluice.aws.upgrade-arn}); absent: no switchover is approved
     */
    public UpgradeCommand(BlueGreenDeployments deployments, UpgradeExecutions executions, Optional<String> instance,
            Optional<String> upgradeMachine, DatabaseConnector connector, GreenCheck green, Clock clock) {
        this(deployments, executions, instance, upgradeMachine, connector, green, clock, SecretRotations.NONE, Optional.empty(),
                Optional.empty(), Optional.empty());
    }

    /**
     * @param rotations            Secrets Manager, for the master secret's last change
     * @param masterSecret         the instance's master secret ({@code sluice.aws.database-secret-arn}): a switchover is
     *                             refused once it changed after green was created
     * @param targetParameterGroup the parameter group Terraform made for {@code targetEngineVersion}
     *                             ({@code sluice.aws.upgrade-target-parameter-group}), green's when an input names none
     * @param targetEngineVersion  its major version ({@code sluice.aws.upgrade-target-engine-version})
     */
    public UpgradeCommand(BlueGreenDeployments deployments, UpgradeExecutions executions, Optional<String> instance,
            Optional<String> upgradeMachine, DatabaseConnector connector, GreenCheck green, Clock clock, SecretRotations rotations,
            Optional<String> masterSecret, Optional<String> targetParameterGroup, Optional<String> targetEngineVersion) {
        this.rotations = rotations;
        this.masterSecret = masterSecret;
        this.targetParameterGroup = targetParameterGroup;
        this.targetEngineVersion = targetEngineVersion;
        this.deployments = deployments;
        this.executions = executions;
        this.instance = instance;
        this.upgradeMachine = upgradeMachine;
        this.connector = connector;
        this.green = green;
        this.clock = clock;
    }

    public Object run(UpgradeRequest request) {
        String allowed = instance.orElseThrow(() -> new NotAllowed("this function may upgrade no RDS instance (sluice.aws.rds-instance"
                + " is not set); nothing was changed"));
        if (!allowed.equals(request.rdsInstance())) {
            throw new NotAllowed("field 'rdsInstance': this function upgrades " + allowed + ", not " + Echo.value(request.rdsInstance())
                    + "; nothing was changed");
        }
        if (request.mode().equals("create")) {
            // Without a group of its own, green gets the module's for its engine; RDS's default group would lose every setting.
            String major = request.targetEngineVersion().split("\\.")[0];
            String group = request.targetParameterGroup() != null ? request.targetParameterGroup()
                    : targetEngineVersion.filter(major::equals).flatMap(version -> targetParameterGroup).orElse(null);
            BlueGreen created = deployments.create(allowed, name(request.deploymentId().value()), request.targetEngineVersion(),
                    group, request.deploymentId().value());
            LOG.infof("Blue/Green deployment %s (%s) of %s to %s created: %s", created.id(), created.name(), allowed,
                    request.targetEngineVersion(), created.status());
            return created;
        }
        BlueGreen deployment = ofThisInstance(request, allowed);
        return switch (request.mode()) {
            case "status" -> deployment;
            case "check-green" -> checkGreen(request, deployment);
            case "switchover" -> switchover(request, deployment);
            default -> delete(request, deployment);
        };
    }

    /** {@code sluice-<deploymentId>}: letters, digits and single hyphens, a letter first, at most 60 characters (RDS's rule). */
    static String name(String deploymentId) {
        String name = ("sluice-" + deploymentId).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("-+", "-");
        name = name.length() <= 60 ? name : name.substring(0, 60);
        return name.replaceAll("-$", "");
    }

    private BlueGreen ofThisInstance(UpgradeRequest request, String allowed) {
        BlueGreen deployment = deployments.describe(request.blueGreenDeploymentId());
        // Before a switchover blue is the instance; after it, green carries the instance's name.
        if (!allowed.equals(deployment.blueInstance()) && !allowed.equals(deployment.greenInstance())) {
            throw new NotAllowed("field 'blueGreenDeploymentId': " + deployment.id() + " is a deployment of " + deployment.blueInstance()
                    + ", not of " + allowed + "; nothing was changed");
        }
        return deployment;
    }

    private GreenReport checkGreen(UpgradeRequest request, BlueGreen deployment) {
        if (!deployment.available() || deployment.greenEndpoint() == null) {
            throw new InvalidRequest("Blue/Green deployment " + deployment.id() + " is " + deployment.status() + (deployment.greenEndpoint()
                    == null ? " and green has no endpoint yet" : "") + "; green is checked once it is AVAILABLE");
        }
        DatabaseTarget blueTarget = request.database();
        DatabaseTarget greenTarget = at(blueTarget, deployment.greenEndpoint());
        try (Connection blue = connector.open(blueTarget, CHECK_SOCKET_TIMEOUT);
                Connection greenConnection = connector.open(greenTarget, CHECK_SOCKET_TIMEOUT)) {
            return green.check(request, deployment, blueTarget, greenTarget, blue, greenConnection);
        } catch (SQLException e) {
            throw new DatabaseUnavailable("the check of green " + deployment.greenEndpoint() + " lost a database: SQLSTATE "
                    + e.getSQLState() + "; nothing was changed, try again", e);
        }
    }

    /**
     * Blue's URL and credentials, at green's {@code host:port} alone: without {@code targetServerType}, since green is
     * read-only until the switchover.
     */
    static DatabaseTarget at(DatabaseTarget blue, String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        String host = colon < 0 ? endpoint : endpoint.substring(0, colon);
        int port = colon < 0 ? 5432 : Integer.parseInt(endpoint.substring(colon + 1));
        JdbcUrl url = blue.url();
        java.util.Map<String, String> parameters = new java.util.LinkedHashMap<>(url.parameters());
        parameters.remove("targetServerType");
        JdbcUrl green = new JdbcUrl(List.of(host), List.of(port), url.database(), parameters);
        return new DatabaseTarget(green.text(), blue.username(), blue.password());
    }

    private BlueGreen switchover(UpgradeRequest request, BlueGreen deployment) {
        String machine = upgradeMachine.orElseThrow(() -> new NotAllowed("this deployment has no upgrade state machine"
                + " (sluice.aws.upgrade-arn); no switchover is approved"));
        String execution = request.execution();
        if (!request.executionStateMachineArn().equals(machine)) {
            throw new NotAllowed("field 'execution': " + Echo.value(execution) + " is not an execution of the upgrade state machine "
                    + machine + "; nothing was switched");
        }
        UpgradeExecution found = executions.find(execution).orElseThrow(() -> new NotAllowed("field 'execution': Step Functions has no"
                + " execution " + Echo.value(execution) + "; nothing was switched"));
        if (!found.stateMachineArn().equals(machine) || !found.status().equals("RUNNING")) {
            throw new NotAllowed("field 'execution': " + execution + " is " + found.status() + " in " + found.stateMachineArn()
                    + "; only a running upgrade switches over; nothing was switched");
        }
        if (!request.deploymentId().value().equals(found.input().path("deploymentId").asText(null))
                || !request.rdsInstance().equals(found.input().path("rdsInstance").asText(null))) {
            throw new NotAllowed("field 'execution': " + execution + " upgrades " + Echo.value(found.input().path("rdsInstance").asText())
                    + " for " + Echo.value(found.input().path("deploymentId").asText()) + ", not this upgrade; nothing was switched");
        }
        if (!found.decision().equals(Optional.of("approved")) || found.approvers().isEmpty()) {
            throw new NotAllowed("field 'execution': " + execution + " is " + found.decision().orElse("not approved (no decision in the"
                    + " approvals ledger)") + "; an engine upgrade switches over only when approved; nothing was switched");
        }
        if (!deployment.available()) {
            throw new InvalidRequest("Blue/Green deployment " + deployment.id() + " is " + deployment.status() + "; RDS switches over an"
                    + " AVAILABLE one only; nothing was switched");
        }
        rotatedSinceGreen(deployment);
        BlueGreen switching = deployments.switchover(deployment.id(), request.switchoverTimeoutSeconds());
        LOG.infof("Blue/Green deployment %s: switchover of %s started (timeout %d s), approved by %s", deployment.id(),
                request.rdsInstance(), request.switchoverTimeoutSeconds(), Echo.line(String.join(", ", found.approvers())));
        return switching;
    }

    /**
     * Refuses a switchover once the master password changed after green was created: logical replication carried the
     * rows, not the password, so the secret would name a password green does not have.
     */
    private void rotatedSinceGreen(BlueGreen deployment) {
        if (masterSecret.isEmpty() || deployment.createTime() == null) {
            return;
        }
        java.time.Instant created = java.time.Instant.parse(deployment.createTime());
        rotations.describe(masterSecret.get()).map(SecretRotations.Rotation::lastChanged).filter(changed -> changed.isAfter(created))
                .ifPresent(changed -> {
                    throw new NotAllowed("the master secret " + masterSecret.get() + " changed at " + changed + ", after green of "
                            + deployment.id() + " was created at " + created + ": logical replication does not carry a password, so"
                            + " after a switchover the secret and the database would disagree and every function would fail to log in."
                            + " Delete the deployment (mode delete, deleteGreen true) and upgrade again; nothing was switched");
                });
    }

    private UpgradeCleanup delete(UpgradeRequest request, BlueGreen deployment) {
        boolean switchedOver = "SWITCHOVER_COMPLETED".equals(deployment.status());
        if (switchedOver && request.isDeleteGreen()) {
            throw new InvalidRequest("field 'deleteGreen': " + deployment.id() + " has switched over; green is the database now, and"
                    + " nothing deletes it; nothing was changed");
        }
        BlueGreen deleted = deployments.delete(deployment.id(), request.isDeleteGreen());
        String after = switchedOver ? LocalDate.now(clock.withZone(ZoneOffset.UTC)).plusDays(KEEP_OLD_DAYS).toString() : null;
        LOG.infof("Blue/Green deployment %s deleted%s", deployment.id(), switchedOver ? "; the old instance " + deployment.blueInstance()
                + " is kept" : request.isDeleteGreen() ? " with green " + deployment.greenInstance() : "");
        // The module still declares the old engine: database_engine_version (the parameter group's family follows it) is the
        // new one now, and the upgrade's target group has become the live one's.
        java.util.Map<String, String> variables = switchedOver && request.targetEngineVersion() != null ? new java.util.TreeMap<>(
                java.util.Map.of("database_engine_version", request.targetEngineVersion().split("\\.")[0], "upgrade_target_engine_version",
                        "")) : null;
        if (variables != null) {
            LOG.infof("Terraform: set database_engine_version = \"%s\" and upgrade_target_engine_version = \"\" before the next plan",
                    variables.get("database_engine_version"));
        }
        return new UpgradeCleanup(deployment.id(), deleted.status(), switchedOver, !switchedOver && request.isDeleteGreen(),
                switchedOver ? deployment.blueInstance() : null, switchedOver ? deployment.greenInstance() : null, after, variables);
    }
}
