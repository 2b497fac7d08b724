package io.sluice.approval;

import java.util.List;
import java.util.Optional;

import org.jboss.logging.Logger;

import io.sluice.error.Echo;
import io.sluice.error.NotAllowed;
import io.sluice.event.ApproveReport;
import io.sluice.event.ApproveRequest;
import io.sluice.event.Caller;

/**
 * One approver's vote on a waiting pipeline execution. The approver is the caller the function URL authenticated,
 * under the name the allow-list gives that principal ({@link Approvers}); a principal without one votes on nothing.
 * Only an execution whose starter the start function recorded can be approved, and never by its starter (the same
 * principal, or the same person under another principal). The number of approvals comes from the execution itself (its
 * approval state's message), never from the voter. A rejection is recorded as the execution's decision first, then
 * sent (SendTaskFailure); an approval is recorded as a vote, and the vote that reaches the number decides and sends
 * SendTaskSuccess. Each approver votes once; nothing is approved after a rejection.
 */
public final class ApproveCommand {

    private static final Logger LOG = Logger.getLogger(ApproveCommand.class);
    public static final String REJECTED = "ApprovalRejected";

    private final ApprovalLedger ledger;
    private final PipelineTasks tasks;
    private final java.util.function.Supplier<Approvers> allowList;

    public ApproveCommand(ApprovalLedger ledger, PipelineTasks tasks, Approvers approvers) {
        this(ledger, tasks, () -> approvers);
    }

    /** @param approvers the allow-list, read when a vote first needs it (the deployment's lists object may hold it) */
    public ApproveCommand(ApprovalLedger ledger, PipelineTasks tasks, java.util.function.Supplier<Approvers> approvers) {
        this.ledger = ledger;
        this.tasks = tasks;
        this.allowList = approvers;
    }

    public ApproveReport run(ApproveRequest request, Caller caller) {
        Approvers approvers = allowList.get();
        String approver = approvers.nameOf(caller).orElseThrow(() -> new NotAllowed(caller.principal() + " is not an approver"
                + " (sluice.approval.approvers); nothing was recorded"));
        int required = tasks.approvalsRequired(request.execution(), request.taskToken());
        String deployment = request.deploymentId().value();
        if (request.rejects()) {
            ledger.vote(request.execution(), deployment, approver, "reject", request.reason());
            if (ledger.decide(request.execution(), "rejected", approver)) {
                tasks.reject(request.taskToken(), "rejected by " + approver + (request.reason() == null ? "" : ": " + request.reason()));
                LOG.infof("execution %s rejected by %s", request.execution(), Echo.line(approver));
            }
            return report(request, "REJECTED", required);
        }
        Optional<String> starter = ledger.starter(request.execution());
        if (starter.isEmpty()) {
            throw new NotAllowed(request.execution() + " was not started through the start function, so who started it is not"
                    + " known and nobody may approve it; start releases through the start function's URL");
        }
        Caller started = new Caller(starter.get());
        // A person's name in two places (an approver's name, a deploy session named after a GitHub login) may differ in
        // case only: GitHub logins are case-insensitive, so Alice's session is alice's.
        if (started.principal().equals(caller.principal()) || approver.equalsIgnoreCase(approvers.personOf(started))) {
            throw new NotAllowed(approver + " started " + request.execution() + " (as " + started.principal() + "); whoever starts a"
                    + " release may reject it, never approve it");
        }
        ledger.vote(request.execution(), deployment, approver, "approve", request.reason());
        List<String> approved = approvers(request.execution());
        if (approved.size() >= required && ledger.decide(request.execution(), "approved", approver)) {
            tasks.approve(request.taskToken(), approved);
            LOG.infof("execution %s approved by %s", request.execution(), Echo.line(String.join(", ", approved)));
            return new ApproveReport(request.deploymentId(), request.execution(), "APPROVED", approved.size(), required, approved);
        }
        return new ApproveReport(request.deploymentId(), request.execution(), "PENDING", approved.size(), required, approved);
    }

    private ApproveReport report(ApproveRequest request, String status, int required) {
        List<String> approved = approvers(request.execution());
        return new ApproveReport(request.deploymentId(), request.execution(), status, approved.size(), required, approved);
    }

    private List<String> approvers(String execution) {
        return ledger.votes(execution).stream().filter(vote -> vote.decision().equals("approve")).map(ApprovalLedger.Vote::approver).toList();
    }
}
