package io.sluice.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

import io.sluice.fleet.FleetExecutions;
import io.sluice.workflow.Approvals;
import io.sluice.workflow.LocalApprovals;
import io.sluice.workflow.StatesError;

/**
 * A local fleet run's Step Functions and approvals ledger: which fleet executions run here (their input, whether they
 * still run), and the answer each one's approval request got from the approvals of this run, recorded as the approve
 * function records a decision. The pipelines a fleet starts here look their fleet's approval up in it, as deployed they
 * look it up in Step Functions and DynamoDB; an execution this run did not start is unknown.
 */
public final class LocalFleetExecutions implements FleetExecutions, Approvals {

    private record Known(String stateMachineArn, JsonNode input, String status, Optional<String> decision, List<String> approvers) {
    }

    private final Approvals approvals;
    private final Map<String, Known> executions = new ConcurrentHashMap<>();

    /** @param approvals who answers the fleet's approval request */
    public LocalFleetExecutions(Approvals approvals) {
        this.approvals = approvals;
    }

    /** The fleet execution {@code executionArn} of {@code stateMachineArn} starts with {@code input}. */
    public void started(String stateMachineArn, String executionArn, JsonNode input) {
        executions.put(executionArn, new Known(stateMachineArn, input.deepCopy(), "RUNNING", Optional.empty(), List.of()));
    }

    /** The execution ended with {@code status}. */
    public void ended(String executionArn, String status) {
        executions.computeIfPresent(executionArn, (arn, known) -> new Known(known.stateMachineArn(), known.input(), status, known.decision(),
                known.approvers()));
    }

    @Override
    public JsonNode answer(JsonNode request, long timeoutSeconds) {
        String execution = request.path("execution").asText();
        try {
            JsonNode answer = approvals.answer(request, timeoutSeconds);
            List<String> approvers = new ArrayList<>();
            answer.path("approvers").forEach(approver -> approvers.add(approver.asText()));
            decide(execution, "approved", approvers);
            return answer;
        } catch (StatesError e) {
            if (e.error().equals(LocalApprovals.REJECTED)) {
                decide(execution, "rejected", List.of());
            }
            throw e;
        }
    }

    private void decide(String execution, String decision, List<String> approvers) {
        executions.computeIfPresent(execution, (arn, known) -> new Known(known.stateMachineArn(), known.input(), known.status(),
                Optional.of(decision), approvers));
    }

    @Override
    public Optional<FleetExecution> find(String executionArn) {
        Known known = executions.get(executionArn);
        return known == null ? Optional.empty() : Optional.of(new FleetExecution(known.stateMachineArn(), known.status(), known.input(),
                known.decision(), known.approvers()));
    }
}
