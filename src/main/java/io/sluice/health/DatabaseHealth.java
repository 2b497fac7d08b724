package io.sluice.health;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.SmallRyeHealth;
import io.smallrye.health.SmallRyeHealthReporter;
import io.sluice.health.checks.ConnectionHeadroom;
import io.sluice.health.checks.DatabaseReachable;
import io.sluice.health.checks.HistoryConsistent;
import io.sluice.health.checks.NoInvalidIndex;
import io.sluice.health.checks.StateSchemaCurrent;

/**
 * The health of the database a call names, through SmallRye Health used as a library: its reporter gathers the
 * {@code @Liveness} and {@code @Readiness} checks and writes MicroProfile Health's document ({@code status},
 * {@code checks[]} with {@code name}, {@code status}, {@code data}). Nothing listens: the document is a function's
 * result. Under CDI the reporter finds the checks as beans; built outside it (the tests' and the command line's
 * commands), a reporter of its own is handed the same check classes. canary-check calls the readiness checks
 * themselves: it reports their answers as signals and has no use for the document.
 */
@ApplicationScoped
public class DatabaseHealth {

    /** One check's answer, as the document has it. */
    public record Check(String name, boolean up, Map<String, Object> data) {
    }

    private final SmallRyeHealthReporter reporter;
    private final Supplier<SmallRyeHealth> all;
    private final Iterable<HealthCheck> readiness;

    @Inject
    public DatabaseHealth(SmallRyeHealthReporter reporter, @Readiness Instance<HealthCheck> readiness) {
        this.reporter = reporter;
        this.all = reporter::getHealth;
        this.readiness = readiness;
    }

    private DatabaseHealth(SmallRyeHealthReporter all, List<HealthCheck> readiness) {
        this.reporter = all;
        this.all = all::getHealth;
        this.readiness = readiness;
    }

    /** Without CDI: a reporter handed the checks themselves, liveness first, then readiness. */
    public static DatabaseHealth direct() {
        SmallRyeHealthReporter all = new SmallRyeHealthReporter();
        List<HealthCheck> readiness = List.of(new StateSchemaCurrent(), new HistoryConsistent(), new NoInvalidIndex(), new ConnectionHeadroom());
        all.addHealthCheck(new DatabaseReachable());
        readiness.forEach(all::addHealthCheck);
        return new DatabaseHealth(all, readiness);
    }

    /** Every check, liveness and readiness, as MicroProfile Health's JSON document. */
    public String document(CheckedDatabase database) {
        SmallRyeHealth health = database.during(all);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        reporter.reportHealth(json, health);
        return json.toString(StandardCharsets.UTF_8);
    }

    /**
     * The readiness checks' answers (what canary-check reports as signals): the same checks the reporter runs, called
     * directly, without the document a canary does not return.
     */
    public List<Check> readiness(CheckedDatabase database) {
        return database.during(() -> {
            List<Check> checks = new ArrayList<>();
            for (HealthCheck check : readiness) {
                HealthCheckResponse response = check.call();
                checks.add(new Check(response.getName(), response.getStatus() == HealthCheckResponse.Status.UP,
                        new LinkedHashMap<>(response.getData().orElse(Map.of()))));
            }
            return checks;
        });
    }
}
