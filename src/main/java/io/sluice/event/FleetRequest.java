package io.sluice.event;

import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * The {@code fleet} event, sent by the fleet state machine: plan a fleet's waves, sum up where a fleet stands, or
 * check, for one database's pipeline, the approval its fleet was given.
 *
 * @param deploymentId      the release (required)
 * @param mode              {@code waves}, {@code summary} or {@code approval}
 * @param execution         the fleet execution's ARN ({@code $$.Execution.Id} of the fleet; for {@code approval}, the
 *                          child's {@code fleetApproval.execution})
 * @param fleet             {@code waves}: the fleet ({@code targets} or {@code manifest}, {@code canaryDatabases},
 *                          {@code waves}, {@code toleratedFailurePercentage})
 * @param canary            {@code waves}: the release's canary settings, which each target's own {@code canary}
 *                          fields override
 * @param migrations        {@code approval}: the child's migrations, which must be the fleet's
 * @param database          {@code approval}: the child's database, which must be one of the fleet's targets
 * @param approvalsRequired {@code approval}: the approvals the child's own preflight asks for
 * @param error             {@code summary}: the error that stopped the fleet ({@code Error}, {@code Cause}); absent
 *                          when every wave ran
 * @param pipelineInput     {@code approval}: the child pipeline's whole input ({@code $$.Execution.Input}): everything in it
 *                          but its own database and canary must be the fleet's, and its canary the one the fleet planned for
 *                          its database
 */
@RegisterForReflection
public record FleetRequest(DeploymentId deploymentId, String mode, String execution, JsonNode fleet, JsonNode canary, JsonNode migrations,
        DatabaseTarget database, Integer approvalsRequired, JsonNode error, JsonNode pipelineInput) implements Request {

    /** A Step Functions execution ARN: partition, region, account, state machine and name (or a Map Run's label). */
    public static final Pattern EXECUTION = Pattern.compile(
            "arn:aws[a-z-]*:states:[a-z0-9-]+:\\d{12}:execution:([A-Za-z0-9_-]{1,80}):([A-Za-z0-9_.-]{1,80})");

    public FleetRequest {
        if (deploymentId == null) {
            throw new InvalidRequest("field 'deploymentId' is required: the release the fleet deploys");
        }
        if (!"waves".equals(mode) && !"summary".equals(mode) && !"approval".equals(mode)) {
            throw new InvalidRequest("field 'mode' must be 'waves', 'summary' or 'approval', not '" + Echo.value(mode) + "'");
        }
        if (execution == null || !EXECUTION.matcher(execution).matches()) {
            throw new InvalidRequest("field 'execution' must be the fleet execution's ARN, not '" + Echo.value(execution) + "'");
        }
        if (mode.equals("waves") && (fleet == null || !fleet.isObject())) {
            throw new InvalidRequest("field 'fleet' is required with mode 'waves': an object with 'targets' or 'manifest'");
        }
        if (canary != null && !canary.isNull() && !canary.isObject()) {
            throw new InvalidRequest("field 'canary' must be an object: the release's canary settings");
        }
        if (error != null && (error.isNull() || error.isMissingNode())) {
            error = null;
        }
        if (error != null && (!error.isObject() || error.toString().length() > 32_768)) {
            throw new InvalidRequest("field 'error' must be the error that stopped the fleet: an object {Error, Cause} of at most 32 KiB");
        }
        if (mode.equals("approval")) {
            if (database == null) {
                throw new InvalidRequest("field 'database' is required with mode 'approval': the database the release would change");
            }
            if (migrations == null || migrations.isNull()) {
                throw new InvalidRequest("field 'migrations' is required with mode 'approval': the release's scripts");
            }
            if (approvalsRequired == null || approvalsRequired < 0 || approvalsRequired > 10) {
                throw new InvalidRequest("field 'approvalsRequired' is required with mode 'approval': 0 to 10, from the preflight");
            }
            if (pipelineInput == null || !pipelineInput.isObject()) {
                throw new InvalidRequest("field 'pipelineInput' is required with mode 'approval': the pipeline execution's input");
            }
        }
    }

    /** The request without a pipeline's input (the modes {@code waves} and {@code summary}). */
    public FleetRequest(DeploymentId deploymentId, String mode, String execution, JsonNode fleet, JsonNode canary, JsonNode migrations,
            DatabaseTarget database, Integer approvalsRequired, JsonNode error) {
        this(deploymentId, mode, execution, fleet, canary, migrations, database, approvalsRequired, error, null);
    }

    /** The fleet execution's name: the folder its plan, waves and results are kept under. */
    public String executionName() {
        var matcher = EXECUTION.matcher(execution);
        matcher.matches();
        return matcher.group(2);
    }

    /** The state machine the execution belongs to, as an ARN. */
    public String stateMachineArn() {
        return execution.substring(0, execution.lastIndexOf(':')).replace(":execution:", ":stateMachine:");
    }

    /** The database is checked against the deployment's allowed secrets, never connected to. */
    @Override
    public boolean connects() {
        return false;
    }

    @Override
    public FleetRequest withDatabase(DatabaseTarget replacement) {
        return new FleetRequest(deploymentId, mode, execution, fleet, canary, migrations, replacement, approvalsRequired, error,
                pipelineInput);
    }
}
