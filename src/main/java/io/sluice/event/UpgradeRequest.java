package io.sluice.event;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.sql.QueryGate;

/**
 * The {@code upgrade} event, sent by the upgrade state machine: one step of an engine upgrade through an RDS
 * Blue/Green deployment.
 *
 * @param deploymentId             the upgrade (required): the deployment's name is {@code sluice-<deploymentId>}
 * @param mode                     {@code create}, {@code status}, {@code check-green}, {@code switchover} or
 *                                 {@code delete}
 * @param database                 blue: the database the upgrade serves (a secret deployed); green is reached with the
 *                                 same credentials at the endpoint RDS gives it
 * @param rdsInstance              blue's RDS instance (required): the one this function may upgrade
 * @param targetEngineVersion      {@code create}: the version green runs, e.g. {@code 18.1}
 * @param targetParameterGroup     {@code create}: green's DB parameter group; absent: RDS's default for the version
 * @param blueGreenDeploymentId    every mode but {@code create}: the deployment ({@code bgd-...}) that {@code create}
 *                                 returned
 * @param switchoverTimeoutSeconds {@code switchover}: how long RDS may take before it gives up and stays on blue
 *                                 (30 to 3600, default 300)
 * @param deleteGreen              {@code delete}: remove green with the deployment (before a switchover only)
 * @param execution                {@code switchover}: the upgrade execution ({@code $$.Execution.Id}), whose approval
 *                                 the approvals ledger must hold
 * @param schema                   the schema whose queries are planned (default {@code public})
 * @param plans                    {@code check-green}: the application's queries, planned on blue and on green
 * @param probes                   {@code check-green}: the canary probes, timed on both
 * @param probeRuns                {@code check-green}: runs of each probe on each side for the p95 (1 to 200, default 20)
 * @param acceptRegressions        {@code check-green}: plan regressions and slower probes are warnings, not errors (an
 *                                 approver's decision; a schema difference and a failing probe still stop the upgrade)
 */
@RegisterForReflection
public record UpgradeRequest(
        DeploymentId deploymentId,
        String mode,
        DatabaseTarget database,
        String rdsInstance,
        String targetEngineVersion,
        String targetParameterGroup,
        String blueGreenDeploymentId,
        Integer switchoverTimeoutSeconds,
        Boolean deleteGreen,
        String execution,
        SchemaName schema,
        PlansRequest plans,
        List<String> probes,
        Integer probeRuns,
        Boolean acceptRegressions) implements Request {

    public static final Set<String> MODES = Set.of("create", "status", "check-green", "switchover", "delete");
    private static final Pattern INSTANCE = Pattern.compile("[A-Za-z](?:-?[A-Za-z0-9]){0,62}");
    private static final Pattern VERSION = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){0,2}");
    private static final Pattern DEPLOYMENT = Pattern.compile("bgd-[a-z0-9]{1,60}");
    private static final Pattern PARAMETER_GROUP = Pattern.compile("[A-Za-z](?:-?[A-Za-z0-9.]){0,254}");
    private static final int MAX_PROBES = 20;

    public UpgradeRequest {
        if (deploymentId == null) {
            throw new InvalidRequest("field 'deploymentId' is required: the upgrade, which names its Blue/Green deployment");
        }
        if (mode == null || !MODES.contains(mode)) {
            throw new InvalidRequest("field 'mode' must be one of create, status, check-green, switchover, delete, not '"
                    + Echo.value(mode) + "'");
        }
        database = DatabaseTarget.required(database);
        if (rdsInstance == null || !INSTANCE.matcher(rdsInstance).matches()) {
            throw new InvalidRequest("field 'rdsInstance' is required: blue's RDS instance identifier (a letter, then letters, digits"
                    + " and single hyphens, at most 63), not '" + Echo.value(rdsInstance) + "'");
        }
        if (mode.equals("create")) {
            if (targetEngineVersion == null || !VERSION.matcher(targetEngineVersion).matches()) {
                throw new InvalidRequest("field 'targetEngineVersion' is required with mode create: the engine version green runs,"
                        + " e.g. 18.1, not '" + Echo.value(targetEngineVersion) + "'");
            }
            if (targetParameterGroup != null && !PARAMETER_GROUP.matcher(targetParameterGroup).matches()) {
                throw new InvalidRequest("field 'targetParameterGroup' must be a DB parameter group name, not '"
                        + Echo.value(targetParameterGroup) + "'");
            }
        } else if (blueGreenDeploymentId == null || !DEPLOYMENT.matcher(blueGreenDeploymentId).matches()) {
            throw new InvalidRequest("field 'blueGreenDeploymentId' is required with mode " + mode + ": the deployment (bgd-...)"
                    + " create returned, not '" + Echo.value(blueGreenDeploymentId) + "'");
        }
        switchoverTimeoutSeconds = switchoverTimeoutSeconds == null ? 300 : switchoverTimeoutSeconds;
        if (switchoverTimeoutSeconds < 30 || switchoverTimeoutSeconds > 3600) {
            throw new InvalidRequest("field 'switchoverTimeoutSeconds' must be 30 to 3600 (RDS's bounds), got " + switchoverTimeoutSeconds);
        }
        deleteGreen = Boolean.TRUE.equals(deleteGreen);
        if (mode.equals("switchover") && (execution == null || !FleetRequest.EXECUTION.matcher(execution).matches())) {
            throw new InvalidRequest("field 'execution' is required with mode switchover: the upgrade execution's ARN, not '"
                    + Echo.value(execution) + "'");
        }
        schema = schema == null ? SchemaName.PUBLIC : schema;
        probes = probes == null ? List.of() : List.copyOf(probes);
        if (probes.size() > MAX_PROBES) {
            throw new InvalidRequest("field 'probes' holds more than " + MAX_PROBES + " probes");
        }
        // The canary's probes, held to the canary's rules: one read-only query each, calling nothing that acts.
        for (int i = 0; i < probes.size(); i++) {
            CanaryCheckRequest.checkProbe(probes.get(i), "probes[" + i + "]");
        }
        // Check-green plans these on blue, the production database itself: queries that read, and nothing else.
        if (plans != null) {
            for (int i = 0; i < plans.queries().size(); i++) {
                QueryGate.check(plans.queries().get(i).strip().replaceAll(";\\s*$", ""), "plans.queries[" + i + "]", QueryGate.Use.LIVE);
            }
        }
                probeRuns = probeRuns == null ? 20 : probeRuns;
        if (probeRuns < 1 || probeRuns > 200) {
            throw new InvalidRequest("field 'probeRuns' must be 1 to 200, got " + probeRuns);
        }
        acceptRegressions = Boolean.TRUE.equals(acceptRegressions);
    }

    @Override
    public boolean connects() {
        return mode.equals("check-green");
    }

    public boolean isAcceptRegressions() {
        return acceptRegressions;
    }

    public boolean isDeleteGreen() {
        return deleteGreen;
    }

    /** The execution's state machine, from its ARN. */
    public String executionStateMachineArn() {
        return execution.substring(0, execution.lastIndexOf(':')).replace(":execution:", ":stateMachine:");
    }

    @Override
    public UpgradeRequest withDatabase(DatabaseTarget replacement) {
        return new UpgradeRequest(deploymentId, mode, replacement, rdsInstance, targetEngineVersion, targetParameterGroup,
                blueGreenDeploymentId, switchoverTimeoutSeconds, deleteGreen, execution, schema, plans, probes, probeRuns, acceptRegressions);
    }
}
