package io.sluice.approval;

import java.util.List;

/**
 * The audit trail of approvals, one entry per vote and one decision per execution, written so that each approver votes
 * once and nothing is approved after a rejection (or decided twice).
 */
public interface ApprovalLedger {

    /** One recorded vote. */
    record Vote(String approver, String decision, String at, String reason) {
    }

    /**
     * Records {@code approver}'s vote unless they voted already or the execution is decided.
     *
     * @throws io.sluice.error.InvalidRequest naming which
     */
    void vote(String execution, String deploymentId, String approver, String decision, String reason);

    /** Records the execution's decision, once: false when it was already decided. */
    boolean decide(String execution, String decision, String by);

    /** The votes on {@code execution}, oldest first. */
    List<Vote> votes(String execution);

    /** Without AWS access: nothing can be recorded. */
    ApprovalLedger NONE = new ApprovalLedger() {
        @Override
        public void vote(String execution, String deploymentId, String approver, String decision, String reason) {
            throw new io.sluice.error.InvalidRequest("field 'execution': this function has no DynamoDB access configured (sluice.aws.*)");
        }

        @Override
        public boolean decide(String execution, String decision, String by) {
            vote(execution, null, by, decision, null);
            return false;
        }

        @Override
        public List<Vote> votes(String execution) {
            return List.of();
        }
    };
}
