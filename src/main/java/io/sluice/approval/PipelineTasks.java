package io.sluice.approval;

import java.util.List;

/**
 * The pipeline's executions: how to start one, how many approvals one asked for, and the answer sent back.
 */
public interface PipelineTasks {

    /**
     * The approvals the execution's approval state asked for with {@code taskToken}.
     *
     * @throws io.sluice.error.InvalidRequest when the execution is not waiting with that token
     */
    int approvalsRequired(String execution, String taskToken);

    /** SendTaskSuccess: the execution goes on, its approval result naming the approvers. */
    void approve(String taskToken, List<String> approvers);

    /** SendTaskFailure: the approval state fails with {@code ApprovalRejected}. */
    void reject(String taskToken, String cause);

    /** What the start function starts: a release of one database, or of a fleet of them, or an engine upgrade. */
    enum Machine { PIPELINE, FLEET, UPGRADE }

    /** The execution of {@code machine} named {@code name} would have this ARN. */
    String executionArn(Machine machine, String name);

    /**
     * StartExecution of {@code machine} with {@code input}, named {@code name}.
     *
     * @throws io.sluice.error.InvalidRequest when Step Functions refuses it (an execution of that name exists)
     */
    void start(Machine machine, String name, String input);

    /** Without AWS access: no execution can be answered. */
    PipelineTasks NONE = new PipelineTasks() {
        @Override
        public int approvalsRequired(String execution, String taskToken) {
            throw new io.sluice.error.InvalidRequest("field 'execution': this function has no Step Functions access configured"
                    + " (sluice.aws.*); approvals are answered where the pipeline runs");
        }

        @Override
        public void approve(String taskToken, List<String> approvers) {
            approvalsRequired(null, taskToken);
        }

        @Override
        public void reject(String taskToken, String cause) {
            approvalsRequired(null, taskToken);
        }

        @Override
        public String executionArn(Machine machine, String name) {
            throw new io.sluice.error.InvalidRequest("this function has no Step Functions access configured (sluice.aws.*);"
                    + " releases start where the pipeline runs");
        }

        @Override
        public void start(Machine machine, String name, String input) {
            executionArn(machine, name);
        }
    };
}
