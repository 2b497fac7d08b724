package io.sluice.canary;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import io.sluice.event.CanarySignal;
import io.sluice.health.CheckedDatabase;
import io.sluice.health.DatabaseHealth;

/**
 * The database's readiness checks (the MicroProfile Health checks the health function reports) as canary signals,
 * under the check's name: one that measures against a limit ({@code value}, {@code limit} in its data) is OK below 80 % of it,
 * DEGRADED up to it and FAILED above, like every measured signal; any other is OK when UP and FAILED when DOWN.
 */
public final class ReadinessSignals {

    /** The data a DOWN check says what is wrong with, in the order they are looked for. */
    private static final List<String> WHY = List.of("indexes", "failedScripts", "reason", "errorMessage");

    private final DatabaseHealth health;

    public ReadinessSignals(DatabaseHealth health) {
        this.health = health;
    }

    /** Every readiness check of {@code database}, as signals, by name. */
    public List<CanarySignal> read(CheckedDatabase database) {
        return health.readiness(database).stream().sorted(Comparator.comparing(DatabaseHealth.Check::name))
                .map(ReadinessSignals::signal).toList();
    }

    static CanarySignal signal(DatabaseHealth.Check check) {
        Map<String, Object> data = check.data();
        if (data.get("value") instanceof String value && data.get("limit") instanceof String limit) {
            return CanarySignal.measured(check.name(), Double.parseDouble(value), String.valueOf(data.getOrDefault("unit", "")),
                    Double.parseDouble(limit), null, data.get("used") + " of " + data.get("available") + " connections in use");
        }
        // DOWN, what is wrong comes first: the indexes, the failed scripts or the reason the check gives.
        Object why = check.up() ? null : WHY.stream().map(data::get).filter(Objects::nonNull).findFirst().orElse(null);
        if (why != null) {
            return new CanarySignal(check.name(), CanarySignal.Status.FAILED, 1.0, "down", 0.0, null, String.valueOf(why));
        }
        String described = data.entrySet().stream().map(entry -> entry.getKey() + " " + entry.getValue())
                .collect(Collectors.joining(", "));
        return new CanarySignal(check.name(), check.up() ? CanarySignal.Status.OK : CanarySignal.Status.FAILED, check.up() ? 0.0 : 1.0,
                "down", 0.0, null, (check.up() ? "UP" : "DOWN") + (described.isEmpty() ? "" : ": " + described));
    }
}
