package io.sluice.fleet;

import java.util.Optional;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.event.DatabaseTarget;
import io.sluice.event.FleetRequest;

/**
 * The fleet function's three modes: {@code waves} cuts the fleet into waves ({@link FleetPlanner}), {@code summary}
 * sums it up ({@link FleetSummarizer}), {@code approval} checks a fleet's approval for one database's pipeline
 * ({@link FleetApprovalCheck}).
 */
public final class FleetCommand {

    private final FleetPlanner planner;
    private final FleetSummarizer summarizer;
    private final FleetApprovalCheck approvals;

    public FleetCommand(FleetPlanner planner, FleetSummarizer summarizer, FleetApprovalCheck approvals) {
        this.planner = planner;
        this.summarizer = summarizer;
        this.approvals = approvals;
    }

    /** The three parts over one bucket. */
    public static FleetCommand over(ObjectMapper json, FleetObjects objects, String bucket, FleetExecutions executions,
            Optional<String> fleetMachine, Consumer<DatabaseTarget> allowed) {
        return over(json, objects, bucket, executions, fleetMachine, allowed, Optional.empty());
    }

    /** @param concurrencyLimit the most releases that may run at once ({@code sluice.aws.fleet-max-concurrency}); absent: none */
    public static FleetCommand over(ObjectMapper json, FleetObjects objects, String bucket, FleetExecutions executions,
            Optional<String> fleetMachine, Consumer<DatabaseTarget> allowed, Optional<Integer> concurrencyLimit) {
        return new FleetCommand(new FleetPlanner(json, objects, bucket, allowed, concurrencyLimit), new FleetSummarizer(json, objects,
                bucket), new FleetApprovalCheck(json, executions, objects, bucket, fleetMachine));
    }

    public Object run(FleetRequest request) {
        return switch (request.mode()) {
            case "waves" -> planner.plan(request);
            case "summary" -> summarizer.summarize(request, request.error());
            default -> approvals.check(request);
        };
    }
}
