package io.sluice.approval;

import java.time.Instant;

import org.jboss.logging.Logger;

import io.sluice.error.Echo;
import io.sluice.event.Caller;
import io.sluice.event.StartReport;
import io.sluice.event.StartRequest;

/**
 * Starts a pipeline execution (or, for an input with a {@code fleet}, a fleet execution) for the caller the function URL
 * authenticated, recording who that was before the
 * execution exists: the approval gate's memory of its starter, who may never approve it. The execution is named after
 * the release and the millisecond it starts ({@code <deploymentId>-<epoch ms>}, within Step Functions' 80 characters).
 */
public final class StartCommand {

    private static final Logger LOG = Logger.getLogger(StartCommand.class);
    /** Step Functions' limit on an execution name, less the "-" and thirteen digits of the epoch millisecond. */
    private static final int NAME_PREFIX = 80 - 14;

    private final ApprovalLedger ledger;
    private final PipelineTasks tasks;

    public StartCommand(ApprovalLedger ledger, PipelineTasks tasks) {
        this.ledger = ledger;
        this.tasks = tasks;
    }

    public StartReport run(StartRequest request, Caller caller) {
        String release = request.deploymentId().value().replaceAll("[^A-Za-z0-9_-]", "-");
        String name = release.substring(0, Math.min(release.length(), NAME_PREFIX)) + "-" + Instant.now().toEpochMilli();
        PipelineTasks.Machine machine = request.fleet() ? PipelineTasks.Machine.FLEET
                : request.upgrade() ? PipelineTasks.Machine.UPGRADE : PipelineTasks.Machine.PIPELINE;
        String execution = tasks.executionArn(machine, name);
        ledger.started(execution, request.deploymentId().value(), caller.principal());
        tasks.start(machine, name, request.input().toString());
        LOG.infof("execution %s started by %s", execution, Echo.line(caller.principal()));
        return new StartReport(request.deploymentId(), execution, caller.principal());
    }
}
