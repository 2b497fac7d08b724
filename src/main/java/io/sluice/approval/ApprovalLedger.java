package io.sluice.approval;

import java.util.List;

/**
 * The audit trail of approvals: who started each execution, one entry per vote and one decision per execution, written
 * so that each approver votes once and nothing is approved after a rejection (or decided twice).
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

    /** The execution's decision ({@code approved}, {@code rejected}), if it was decided. */
    java.util.Optional<String> decision(String execution);

    /**
     * Records who starts {@code execution}, before it starts: once (an execution name is used once).
     *
     * @throws io.sluice.error.InvalidRequest when a start of that execution is recorded already
     */
    void started(String execution, String deploymentId, String principal);

    /** Who started {@code execution} through the start function; empty when it was started some other way. */
    java.util.Optional<String> starter(String execution);

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

        @Override
        public java.util.Optional<String> decision(String execution) {
            return java.util.Optional.empty();
        }

        @Override
        public void started(String execution, String deploymentId, String principal) {
            vote(execution, deploymentId, principal, "start", null);
        }

        @Override
        public java.util.Optional<String> starter(String execution) {
            return java.util.Optional.empty();
        }
    };
}
