package io.sluice.canary;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.sluice.error.InvalidRequest;
import io.sluice.event.ApplicationMetric;

/** Where the application's own metrics are read from (CloudWatch, deployed): one read per check, for its window. */
public interface ApplicationMetrics {

    /**
     * Each metric's value over {@code [from, to)}.
     *
     * @return by metric id; a metric without datapoints in the window (or a rate whose divisor is zero) is absent
     */
    Map<String, Double> read(List<ApplicationMetric> metrics, Instant from, Instant to);

    /** Without CloudWatch access: a check that names application metrics is refused. */
    ApplicationMetrics NONE = (metrics, from, to) -> {
        throw new InvalidRequest("field 'applicationMetrics': this function has no CloudWatch access configured (sluice.aws.*)");
    };
}
