package io.sluice.event;

import java.util.List;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The result of {@code canary-check}.
 *
 * @param deploymentId the event's correlation id
 * @param stage        the stage checked, in percent
 * @param verdict      {@code HEALTHY}, {@code DEGRADED} or {@code FAILED}
 * @param counters     the counters read now: pass them as {@code since} to the next check
 * @param windowMs     the window the rates cover (0 on a first check)
 * @param signals      every check's signal, in a fixed order
 * @param alerts       the signals that were not OK, one line each, the worst first
 * @param measured     this window's error rate and probe p95, in the shape of a baseline: a window read before the
 *                     release becomes the {@code baseline} of every stage after it
 * @param nextStage    the stage to go to: the next one when healthy, the same when degraded, null when failed (roll
 *                     back) or after 100
 * @param durationMs   wall time of the invocation
 */
@RegisterForReflection
public record CanaryReport(
        DeploymentId deploymentId,
        int stage,
        CanaryVerdict verdict,
        CanaryCounters counters,
        long windowMs,
        List<CanarySignal> signals,
        List<String> alerts,
        CanaryBaseline measured,
        Integer nextStage,
        long durationMs) {

    public CanaryReport {
        signals = List.copyOf(signals);
        alerts = List.copyOf(alerts);
    }
}
