package io.sluice.health;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.health.HealthCheck;

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
 * commands), reporters of its own are handed the same check classes.
 */
@ApplicationScoped
public class DatabaseHealth {

    /** One check's answer, as the document has it. */
    public record Check(String name, boolean up, Map<String, Object> data) {
    }

    private final SmallRyeHealthReporter reporter;
    private final Supplier<SmallRyeHealth> all;
    private final Supplier<SmallRyeHealth> readiness;

    @Inject
    public DatabaseHealth(SmallRyeHealthReporter reporter) {
        this.reporter = reporter;
        this.all = reporter::getHealth;
        this.readiness = reporter::getReadiness;
    }

    private DatabaseHealth(SmallRyeHealthReporter all, SmallRyeHealthReporter readiness) {
        this.reporter = all;
        this.all = all::getHealth;
        this.readiness = readiness::getHealth;
    }

    /** Without CDI: reporters handed the checks themselves, liveness first, then readiness. */
    public static DatabaseHealth direct() {
        SmallRyeHealthReporter all = new SmallRyeHealthReporter();
        SmallRyeHealthReporter readiness = new SmallRyeHealthReporter();
        all.addHealthCheck(new DatabaseReachable());
        for (HealthCheck check : List.of(new StateSchemaCurrent(), new HistoryConsistent(), new NoInvalidIndex(), new ConnectionHeadroom())) {
            all.addHealthCheck(check);
            readiness.addHealthCheck(check);
        }
        return new DatabaseHealth(all, readiness);
    }

    /** Every check, liveness and readiness, as MicroProfile Health's JSON document. */
    public String document(CheckedDatabase database) {
        SmallRyeHealth health = database.during(all);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        reporter.reportHealth(json, health);
        return json.toString(StandardCharsets.UTF_8);
    }

    /** The readiness checks' answers (what canary-check reports as signals), in the document's order. */
    public List<Check> readiness(CheckedDatabase database) {
        JsonObject payload = database.during(readiness).getPayload();
        return payload.getJsonArray("checks").stream().map(JsonValue::asJsonObject).map(DatabaseHealth::check).toList();
    }

    private static Check check(JsonObject check) {
        Map<String, Object> data = new LinkedHashMap<>();
        JsonObject values = check.getJsonObject("data");
        if (values != null) {
            values.forEach((key, value) -> data.put(key, switch (value.getValueType()) {
                case STRING -> ((JsonString) value).getString();
                case NUMBER -> ((JsonNumber) value).longValue();
                case TRUE -> true;
                case FALSE -> false;
                default -> value.toString();
            }));
        }
        return new Check(check.getString("name"), "UP".equals(check.getString("status")), data);
    }
}
