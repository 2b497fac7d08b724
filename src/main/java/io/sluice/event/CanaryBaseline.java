package io.sluice.event;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.InvalidRequest;

/**
 * What the same signals read before the release (the pipeline records a window before Migrate): each stage is
 * judged against it too, so a release that doubles a 20 ms query fails even under a fixed limit of 200 ms.
 *
 * @param errorRate rollbacks / (commits + rollbacks) before the release
 * @param p95Ms     the probes' p95 before the release
 */
@RegisterForReflection
public record CanaryBaseline(Double errorRate, Double p95Ms) {

    public CanaryBaseline {
        if (errorRate != null && (errorRate < 0 || errorRate > 1) || p95Ms != null && p95Ms < 0) {
            throw new InvalidRequest("field 'baseline' holds an error rate outside 0-1 or a negative p95");
        }
    }
}
