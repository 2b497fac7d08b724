package io.sluice.approval;

import java.util.List;

import org.jboss.logging.Logger;

import io.sluice.error.Echo;
import io.sluice.event.ApproveReport;
import io.sluice.event.ApproveRequest;

/**
 * One approver's vote on a waiting pipeline execution. The number of approvals comes from the execution itself (its
 * approval state's message), never from the voter. A rejection is recorded as the execution's decision first, then
 * sent (SendTaskFailure); an approval is recorded as a vote, and the vote that reaches the number decides and sends
 * SendTaskSuccess. Each approver votes once; nothing is approved after a rejection.
 */
public final class ApproveCommand {

    private static final Logger LOG = Logger.getLogger(ApproveCommand.class);
    public static final String REJECTED = "ApprovalRejected";

    private final ApprovalLedger ledger;
    private final PipelineTasks tasks;

    public ApproveCommand(ApprovalLedger ledger, PipelineTasks tasks) {
        this.ledger = ledger;
        this.tasks = tasks;
    }

    public ApproveReport run(ApproveRequest request) {
        int required = tasks.approvalsRequired(request.execution(), request.taskToken());
        String deployment = request.deploymentId().value();
        if (request.rejects()) {
            ledger.vote(request.execution(), deployment, request.approver(), "reject", request.reason());
            if (ledger.decide(request.execution(), "rejected", request.approver())) {
                tasks.reject(request.taskToken(), "rejected by " + request.approver()
                        + (request.reason() == null ? "" : ": " + request.reason()));
                LOG.infof("execution %s rejected by %s", request.execution(), Echo.line(request.approver()));
            }
            return report(request, "REJECTED", required);
        }
        ledger.vote(request.execution(), deployment, request.approver(), "approve", request.reason());
        List<String> approvers = approvers(request.execution());
        if (approvers.size() >= required && ledger.decide(request.execution(), "approved", request.approver())) {
            tasks.approve(request.taskToken(), approvers);
            LOG.infof("execution %s approved by %s", request.execution(), Echo.line(String.join(", ", approvers)));
            return new ApproveReport(request.deploymentId(), request.execution(), "APPROVED", approvers.size(), required, approvers);
        }
        return new ApproveReport(request.deploymentId(), request.execution(), "PENDING", approvers.size(), required, approvers);
    }

    private ApproveReport report(ApproveRequest request, String status, int required) {
        List<String> approvers = approvers(request.execution());
        return new ApproveReport(request.deploymentId(), request.execution(), status, approvers.size(), required, approvers);
    }

    private List<String> approvers(String execution) {
        return ledger.votes(execution).stream().filter(vote -> vote.decision().equals("approve")).map(ApprovalLedger.Vote::approver).toList();
    }
}
