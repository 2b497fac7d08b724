package io.sluice.fleet;

import java.io.IOException;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.error.Echo;
import io.sluice.error.NotAllowed;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.FleetRequest;
import io.sluice.fleet.FleetExecutions.FleetExecution;

/**
 * Whether a fleet's approval holds for one database's pipeline, so that the pipeline need not ask again. Nothing in the
 * pipeline's input is believed: its {@code fleetApproval} only names an execution, and the approval holds when Step
 * Functions and the approvals ledger say so. That execution must be
 * <ol>
 * <li>an execution of this deployment's fleet state machine,</li>
 * <li>still running (a fleet's approval ends with the fleet),</li>
 * <li>of the same release: the same {@code deploymentId} and the same {@code migrations} as the pipeline's,</li>
 * <li>approved in the ledger (the approve function's decision, which only approvers other than its starter reach),
 * by at least as many approvers as the pipeline's own preflight asks for,</li>
 * <li>the pipeline's database must be one of the fleet's targets (its waves, as the fleet planned them),</li>
 * <li>and the pipeline's input must be the one the fleet gave it: every field but its database and canary the fleet's
 * own (the same approval limit, proofs, plan check, snapshot), and its canary the one the fleet planned for that database
 * (the same probes, thresholds, waits and holds): an approval of one release's rollout holds for nothing laxer.</li>
 * </ol>
 * Anything else is {@link NotAllowed}, and the pipeline ends not deployed.
 */
public final class FleetApprovalCheck {

    private final ObjectMapper json;
    private final FleetExecutions executions;
    private final FleetObjects objects;
    private final String bucket;
    private final Optional<String> fleetMachine;

    /** @param fleetMachine the deployment's fleet state machine ({@code sluice.aws.fleet-arn}); absent: no fleet approval holds */
    public FleetApprovalCheck(ObjectMapper json, FleetExecutions executions, FleetObjects objects, String bucket, Optional<String> fleetMachine) {
        this.json = json;
        this.executions = executions;
        this.objects = objects;
        this.bucket = bucket;
        this.fleetMachine = fleetMachine;
    }

    public FleetApproval check(FleetRequest request) {
        String fleet = request.execution();
        String machine = fleetMachine.orElseThrow(() -> new NotAllowed("this deployment has no fleet state machine (sluice.aws.fleet-arn);"
                + " no fleet approval holds"));
        if (!request.stateMachineArn().equals(machine)) {
            throw new NotAllowed("fleetApproval: " + Echo.value(fleet) + " is not an execution of the fleet state machine " + machine);
        }
        FleetExecution execution = executions.find(fleet).orElseThrow(() -> new NotAllowed("fleetApproval: Step Functions has no execution "
                + Echo.value(fleet)));
        if (!execution.stateMachineArn().equals(machine)) {
            throw new NotAllowed("fleetApproval: " + fleet + " belongs to " + execution.stateMachineArn() + ", not to the fleet state machine");
        }
        if (!execution.status().equals("RUNNING")) {
            throw new NotAllowed("fleetApproval: the fleet " + fleet + " is " + execution.status() + "; a fleet's approval holds while it runs");
        }
        String release = request.deploymentId().value();
        if (!release.equals(execution.input().path("deploymentId").asText(null))) {
            throw new NotAllowed("fleetApproval: the fleet " + fleet + " releases " + Echo.value(execution.input().path("deploymentId").asText())
                    + ", not " + release);
        }
        if (!execution.input().path("migrations").equals(request.migrations())) {
            throw new NotAllowed("fleetApproval: the fleet " + fleet + " was approved for other migrations than this pipeline's");
        }
        if (!execution.decision().equals(Optional.of("approved"))) {
            throw new NotAllowed("fleetApproval: the fleet " + fleet + " is " + execution.decision().map(decision -> decision)
                    .orElse("not approved (no decision in the approvals ledger)"));
        }
        if (execution.approvers().size() < request.approvalsRequired()) {
            throw new NotAllowed("fleetApproval: the fleet " + fleet + " has " + execution.approvers().size() + " approval(s); " + release
                    + " on this database needs " + request.approvalsRequired());
        }
        JsonNode planned = plannedItem(request).orElseThrow(() -> new NotAllowed("fleetApproval: this pipeline's database is not one"
                + " of the fleet " + fleet + "'s targets"));
        sameInput(request, execution, planned, fleet);
        return new FleetApproval(fleet, execution.approvers());
    }

    /** Fields of a child's input that are its own: the rest come from the fleet's input, unchanged. */
    private static final java.util.Set<String> CHILD_FIELDS = java.util.Set.of("name", "database", "canary", "fleetApproval");

    private static void sameInput(FleetRequest request, FleetExecution execution, JsonNode planned, String fleet) {
        JsonNode child = request.pipelineInput();
        JsonNode parent = execution.input();
        java.util.Set<String> fields = new java.util.TreeSet<>();
        child.fieldNames().forEachRemaining(fields::add);
        parent.fieldNames().forEachRemaining(fields::add);
        for (String field : fields) {
            if (CHILD_FIELDS.contains(field) || field.equals("fleet")) {
                continue;
            }
            if (!child.path(field).equals(parent.path(field))) {
                throw new NotAllowed("fleetApproval: this pipeline's '" + Echo.value(field) + "' is not the fleet " + fleet + "'s; a fleet's"
                        + " approval holds for the release it approved, as it approved it");
            }
        }
        if (!child.path("canary").equals(planned.path("canary"))) {
            throw new NotAllowed("fleetApproval: this pipeline's canary (probes, thresholds, waits) is not the one the fleet " + fleet
                    + " planned for its database");
        }
    }

    /** The item of the fleet's waves that releases the request's database, when one does. */
    private Optional<JsonNode> plannedItem(FleetRequest request) {
        String prefix = "fleet/" + request.executionName() + "/";
        JsonNode database = json.valueToTree(request.database());
        try {
            JsonNode plan = json.readTree(objects.read(bucket, prefix + "plan.json", FleetPlanner.MAX_MANIFEST_BYTES));
            for (JsonNode wave : plan.path("waves")) {
                for (JsonNode item : json.readTree(objects.read(bucket, wave.path("key").asText(), FleetPlanner.MAX_MANIFEST_BYTES))) {
                    if (database.equals(json.valueToTree(json.convertValue(item.path("database"), DatabaseTarget.class)))) {
                        return Optional.of(item);
                    }
                }
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new NotAllowed("fleetApproval: the fleet " + request.execution() + "'s plan cannot be read (" + Echo.value(e.getMessage())
                    + "); no approval holds without it");
        }
    }
}
