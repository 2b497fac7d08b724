package io.sluice.event;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;

/**
 * One of the application's own CloudWatch metrics, judged as a canary signal ({@code app:<id>}) over the check's
 * window: a latency percentile, or an error rate as one metric's sum per another's.
 *
 * @param id         names the signal; letters, digits, {@code -} and {@code _}, at most 64
 * @param namespace  the metric's namespace, e.g. {@code Shop}
 * @param metric     the metric's name, e.g. {@code Latency} or {@code Errors}
 * @param dimensions the metric's dimensions, name to value (at most 10); empty when it has none
 * @param statistic  {@code p50}-{@code p99.9}, {@code Average}, {@code Maximum}, {@code Minimum}, {@code Sum} or
 *                   {@code SampleCount}; {@code Sum} when absent, and the only one allowed with {@code per}
 * @param per        a second metric of the same namespace and dimensions: the signal is then {@code metric}'s sum
 *                   divided by {@code per}'s sum (e.g. {@code Errors} per {@code Requests})
 * @param max        the limit: over it the signal fails the stage, over 80 % of it the stage is held
 * @param unit       the unit the value is shown in, e.g. {@code ms} or {@code ratio}; {@code count} when absent
 */
@RegisterForReflection
public record ApplicationMetric(String id, String namespace, String metric, Map<String, String> dimensions, String statistic,
        String per, Double max, String unit) {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** CloudWatch's own names: printable, at most 255 characters. */
    private static final Pattern NAME = Pattern.compile("[\\x20-\\x7E]{1,255}");
    private static final Pattern PERCENTILE = Pattern.compile("p(\\d{1,2}(\\.\\d{1,2})?)");
    private static final Set<String> STATISTICS = Set.of("Average", "Maximum", "Minimum", "Sum", "SampleCount");
    private static final int MAX_DIMENSIONS = 10;

    public ApplicationMetric {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidRequest("field 'applicationMetrics' holds an id '" + Echo.value(id)
                    + "': 1-64 letters, digits, '-' or '_'");
        }
        namespace = name(id, "namespace", namespace);
        metric = name(id, "metric", metric);
        dimensions = dimensions == null ? Map.of() : dimensions;
        if (dimensions.size() > MAX_DIMENSIONS) {
            throw new InvalidRequest("application metric '" + id + "' has more than " + MAX_DIMENSIONS + " dimensions");
        }
        var sorted = new TreeMap<String, String>();
        dimensions.forEach((name, value) -> sorted.put(name(id, "dimension name", name), name(id, "dimension " + name, value)));
        dimensions = java.util.Collections.unmodifiableMap(sorted);
        statistic = statistic == null ? "Sum" : statistic;
        if (!STATISTICS.contains(statistic) && !isPercentile(statistic)) {
            throw new InvalidRequest("application metric '" + id + "' has statistic '" + Echo.value(statistic)
                    + "': one of p50-p99.99, Average, Maximum, Minimum, Sum, SampleCount");
        }
        if (per != null) {
            per = name(id, "per", per);
            if (!statistic.equals("Sum")) {
                throw new InvalidRequest("application metric '" + id + "' divides by '" + per + "': only a Sum can be divided"
                        + " (a rate is one sum per another)");
            }
        }
        if (max == null || max.isNaN() || max < 0) {
            throw new InvalidRequest("application metric '" + id + "' needs 'max', the limit its value is held to (>= 0)");
        }
        unit = unit == null ? "count" : name(id, "unit", unit);
    }

    /** The signal's name in the report: {@code app:<id>}. */
    public String check() {
        return "app:" + id;
    }

    private static boolean isPercentile(String statistic) {
        var matcher = PERCENTILE.matcher(statistic);
        if (!matcher.matches()) {
            return false;
        }
        double value = Double.parseDouble(matcher.group(1));
        return value > 0 && value < 100;
    }

    private static String name(String id, String field, String value) {
        if (value == null || !NAME.matcher(value).matches() || value.isBlank()) {
            throw new InvalidRequest("application metric '" + id + "' needs '" + field + "' of 1-255 printable characters, not '"
                    + Echo.value(value) + "'");
        }
        return value;
    }
}
