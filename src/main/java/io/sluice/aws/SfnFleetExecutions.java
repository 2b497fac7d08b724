package io.sluice.aws;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.SfnException;

import io.sluice.approval.ApprovalLedger;
import io.sluice.error.DatabaseUnavailable;
import io.sluice.error.Echo;
import io.sluice.fleet.FleetExecutions;

/**
 * A fleet (or upgrade) execution as Step Functions describes it (DescribeExecution) and the DynamoDB approvals ledger
 * records it.
 */
public class SfnFleetExecutions implements FleetExecutions {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<SfnClient> client;
    private final ApprovalLedger ledger;

    public SfnFleetExecutions(Supplier<SfnClient> clients, ApprovalLedger ledger) {
        this.client = new Lazy<>(clients);
        this.ledger = ledger;
    }

    @Override
    public Optional<FleetExecution> find(String executionArn) {
        DescribeExecutionResponse described;
        try {
            described = client.get().describeExecution(request -> request.executionArn(executionArn));
        } catch (ExecutionDoesNotExistException e) {
            return Optional.empty();
        } catch (SfnException e) {
            throw new DatabaseUnavailable("Step Functions did not describe " + Echo.value(executionArn) + ": " + Echo.value(e.getMessage())
                    + "; the function's role needs states:DescribeExecution on the execution", e);
        }
        JsonNode input;
        try {
            input = JSON.readTree(described.input() == null ? "{}" : described.input());
        } catch (IOException e) {
            input = JSON.createObjectNode();
        }
        return Optional.of(new FleetExecution(described.stateMachineArn(), described.statusAsString(), input, ledger.decision(executionArn),
                ledger.votes(executionArn).stream().filter(vote -> vote.decision().equals("approve")).map(ApprovalLedger.Vote::approver).toList()));
    }
}
