package io.sluice.event;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One health signal of a canary check.
 *
 * @param check     the check's id, e.g. {@code error-rate}
 * @param status    {@code OK}, {@code DEGRADED} (near its limit), {@code FAILED} (over it) or {@code SKIPPED}
 * @param value     what was measured, in {@code unit}; null when skipped
 * @param unit      e.g. {@code ratio}, {@code ms}, {@code count}
 * @param threshold the limit it was held to
 * @param baseline  the same signal before the release, when known
 * @param message   what it means, for a person
 */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CanarySignal(String check, Status status, Double value, String unit, Double threshold, Double baseline,
        String message) {

    /** A signal's verdict. */
    public enum Status { OK, DEGRADED, FAILED, SKIPPED }

    public static CanarySignal skipped(String check, String why) {
        return new CanarySignal(check, Status.SKIPPED, null, null, null, null, why);
    }

    /** OK under 80 % of the limit, DEGRADED up to it, FAILED over it. */
    public static CanarySignal measured(String check, double value, String unit, double threshold, Double baseline, String what) {
        Status status = value > threshold ? Status.FAILED : value > 0.8 * threshold ? Status.DEGRADED : Status.OK;
        return new CanarySignal(check, status, value, unit, threshold, baseline,
                what + ": " + format(value) + " " + unit + " (limit " + format(threshold) + ")");
    }

    static String format(double value) {
        return java.math.BigDecimal.valueOf(value).setScale(4, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
