package io.sluice.metrics;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.event.BackfillProgress;
import io.sluice.event.CanaryReport;
import io.sluice.event.HealthReport;
import io.sluice.event.Finding;
import io.sluice.event.MigrateReport;
import io.sluice.event.RollbackReport;
import io.sluice.event.ValidateReport;

/**
 * One CloudWatch Embedded Metric Format line per invocation, namespace {@code Sluice}, one dimension
 * ({@code Function}: four values) so the metrics stay low-cardinality; the deployment id, status and error type ride
 * along as properties, searchable in Logs Insights without becoming dimensions. Metrics: {@code Invocations},
 * {@code Errors}, {@code DurationMs}, and by function: {@code ScriptsApplied}, {@code LockRetries},
 * {@code BackfillRows} (migrate), {@code FindingsError}, {@code FindingsWarning}, {@code DriftObjects} (mode drift only: the drift
 * alarm's), {@code SchemaDifferences} (every other mode's differences), {@code ParityDifferences} (validate; the last in mode parity: schema and
 * history differences, settings whose rule passes on one database only),
 * {@code VersionsUndone} (rollback), {@code CanaryHealthy}, {@code CanaryDegraded}, {@code CanaryFailed} (canary-check).
 */
@ApplicationScoped
public class InvocationMetrics {

    public static final String NAMESPACE = "Sluice";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MetricsSink sink;

    /** Lines to standard output: what the functions use in Lambda. */
    public InvocationMetrics() {
        this(MetricsSink.STDOUT);
    }

    public InvocationMetrics(MetricsSink sink) {
        this.sink = sink;
    }

    /** The line for an invocation that returned {@code result}. */
    public void succeeded(String function, String deploymentId, Object result, long durationMs) {
        Map<String, Number> values = invocation(0, durationMs);
        ObjectNode properties = JSON.createObjectNode();
        if (result instanceof MigrateReport report) {
            values.put("ScriptsApplied", report.applied().size());
            values.put("LockRetries", report.lockRetries().size());
            values.put("BackfillRows", report.backfills().stream().mapToLong(BackfillProgress::rowsDone).sum());
            properties.put("status", report.status().name());
        } else if (result instanceof ValidateReport report) {
            values.put("FindingsError", report.findings().stream().filter(f -> f.severity() == Finding.Severity.ERROR).count());
            values.put("FindingsWarning", report.findings().stream().filter(f -> f.severity() == Finding.Severity.WARNING).count());
            // DriftObjects is the drift check's alone (the drift alarm's metric); a post-migrate or any other mode's
            // differences are SchemaDifferences, so a release's own check never trips the drift alarm.
            int differences = report.differences() == null ? 0 : report.differences().size();
            values.put(report.mode() == io.sluice.event.ValidateMode.DRIFT ? "DriftObjects" : "SchemaDifferences", differences);
            if (report.parity() != null) {
                values.put("ParityDifferences", report.parity().differences().size() + report.parity().history().size()
                        + report.parity().settings().stream().filter(setting -> setting.ok() != setting.otherOk()).count());
            }
            properties.put("mode", report.mode().json());
            properties.put("valid", report.valid());
        } else if (result instanceof RollbackReport report) {
            values.put("VersionsUndone", report.undone().size());
            properties.put("status", report.status().name());
        } else if (result instanceof HealthReport report) {
            values.put("HealthChecksDown", report.down().size());
            properties.put("status", report.up() ? "UP" : "DOWN");
        } else if (result instanceof CanaryReport report) {
            values.put("CanaryHealthy", report.verdict().name().equals("HEALTHY") ? 1 : 0);
            values.put("CanaryDegraded", report.verdict().name().equals("DEGRADED") ? 1 : 0);
            values.put("CanaryFailed", report.verdict().name().equals("FAILED") ? 1 : 0);
            properties.put("stage", report.stage());
        }
        sink.emit(line(function, deploymentId, values, properties));
    }

    /** The line for an invocation that raised {@code errorType}. */
    public void failed(String function, String deploymentId, String errorType, long durationMs) {
        Map<String, Number> values = invocation(1, durationMs);
        ObjectNode properties = JSON.createObjectNode();
        properties.put("errorType", errorType);
        sink.emit(line(function, deploymentId, values, properties));
    }

    /** What every line has: one invocation, its errors (0 or 1) and its duration. */
    private static Map<String, Number> invocation(int errors, long durationMs) {
        Map<String, Number> values = new LinkedHashMap<>();
        values.put("Invocations", 1);
        values.put("Errors", errors);
        values.put("DurationMs", durationMs);
        return values;
    }

    private static String line(String function, String deploymentId, Map<String, Number> values, ObjectNode properties) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode aws = root.putObject("_aws");
        aws.put("Timestamp", Instant.now().toEpochMilli());
        ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
        directive.put("Namespace", NAMESPACE);
        directive.putArray("Dimensions").addArray().add("Function");
        ArrayNode metrics = directive.putArray("Metrics");
        root.put("Function", function);
        values.forEach((name, value) -> {
            metrics.addObject().put("Name", name).put("Unit", name.equals("DurationMs") ? "Milliseconds" : "Count");
            if (value instanceof Double || value instanceof Float) {
                root.put(name, value.doubleValue());
            } else {
                root.put(name, value.longValue());
            }
        });
        root.put("deploymentId", deploymentId == null ? "(none)" : deploymentId);
        root.setAll(properties);
        return root.toString();
    }
}
