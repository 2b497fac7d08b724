package io.sluice.fleet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.error.InvalidRequest;
import io.sluice.event.FleetRequest;
import io.sluice.fleet.FleetSummary.DatabaseOutcome;
import io.sluice.fleet.FleetSummary.WaveOutcome;

/**
 * Sums a fleet up from what its plan and its Distributed Maps left in the bucket: each wave's databases, and the
 * ResultWriter's {@code manifest.json} with its {@code SUCCEEDED_n.json} and {@code FAILED_n.json} (each child's input
 * and output as JSON text; a failed child's error is {@code States.TaskFailed} with the pipeline execution's own error
 * and cause in its cause). A database with no result was not started. The whole summary goes to
 * {@code fleet/<execution name>/summary.json}; when the fleet stopped, the stopped wave's released databases go to
 * {@code rollback.json}, each with the version it had before, for the rollback the input may ask for.
 */
public final class FleetSummarizer {

    /** Failures a summary lists; the summary object has them all. */
    public static final int LISTED = 20;
    private static final int MAX_ERROR = 1_000;
    /** A ResultWriter file of 10,000 pipelines, each with its input, is some 20 MiB. */
    private static final long MAX_RESULTS_BYTES = 64L * 1024 * 1024;

    private final ObjectMapper json;
    private final FleetObjects objects;
    private final String bucket;

    public FleetSummarizer(ObjectMapper json, FleetObjects objects, String bucket) {
        this.json = json;
        this.objects = objects;
        this.bucket = bucket;
    }

    public FleetSummary summarize(FleetRequest request, JsonNode error) {
        String prefix = "fleet/" + request.executionName() + "/";
        JsonNode plan = parse(objects.read(bucket, prefix + "plan.json", FleetPlanner.MAX_MANIFEST_BYTES), prefix + "plan.json");
        if (!request.deploymentId().value().equals(plan.path("deploymentId").asText())) {
            throw new InvalidRequest("field 'deploymentId': the fleet " + request.executionName() + " releases "
                    + plan.path("deploymentId").asText() + ", not " + request.deploymentId().value());
        }
        Map<String, DatabaseOutcome> outcomes = new LinkedHashMap<>();
        Map<String, JsonNode> databases = new LinkedHashMap<>();
        List<WaveOutcome> waves = new ArrayList<>();
        Integer stoppedAt = null;
        for (JsonNode wave : plan.path("waves")) {
            int number = wave.path("wave").asInt();
            JsonNode items = parse(objects.read(bucket, wave.path("key").asText(), FleetPlanner.MAX_MANIFEST_BYTES), wave.path("key").asText());
            for (JsonNode item : items) {
                String name = item.path("name").asText();
                databases.put(name, item.path("database"));
                outcomes.put(name, new DatabaseOutcome(name, number, "not-started", null, null, null, null));
            }
            int succeeded = 0;
            int failed = 0;
            for (JsonNode entry : results(wave.path("resultsPrefix").asText())) {
                DatabaseOutcome outcome = outcome(entry, number);
                if (outcome == null || !outcomes.containsKey(outcome.name())) {
                    continue;
                }
                outcomes.put(outcome.name(), outcome);
                if (outcome.outcome().equals("released")) {
                    succeeded++;
                } else {
                    failed++;
                }
            }
            waves.add(new WaveOutcome(number, wave.path("label").asText(), items.size(), succeeded + failed, succeeded, failed));
            if (error != null && succeeded + failed > 0) {
                stoppedAt = number;
            }
        }
        FleetSummary.Rollback rollback = null;
        if (error != null && stoppedAt != null) {
            rollback = rollbackList(prefix, stoppedAt, outcomes, databases);
            for (JsonNode entry : results(prefix + "results/rollback")) {
                JsonNode input = parse(entry.path("Input").asText("{}"), "a rollback result");
                DatabaseOutcome was = outcomes.get(input.path("name").asText());
                if (was != null && was.outcome().equals("released")) {
                    boolean done = entry.path("Status").asText().equals("SUCCEEDED");
                    outcomes.put(was.name(), new DatabaseOutcome(was.name(), was.wave(), done ? "rolled-back" : "rollback-failed",
                            was.versionBefore(), was.versionAfter(), done ? null : error(entry), was.execution()));
                }
            }
        } else if (error != null) {
            stoppedAt = 0;
        }
        int released = count(outcomes, "released");
        int failedCount = count(outcomes, "failed") + count(outcomes, "rollback-failed");
        List<DatabaseOutcome> failures = outcomes.values().stream()
                .filter(outcome -> outcome.outcome().equals("failed") || outcome.outcome().equals("rollback-failed")).limit(LISTED).toList();
        String key = prefix + "summary.json";
        FleetSummary summary = new FleetSummary(request.deploymentId().value(), request.execution(), error == null ? "released" : "stopped",
                outcomes.size(), released, failedCount, count(outcomes, "not-started"), count(outcomes, "rolled-back"), stoppedAt, error,
                waves, failures, "s3://" + bucket + "/" + key, rollback);
        ObjectNode whole = json.valueToTree(summary);
        whole.set("databases", json.valueToTree(List.copyOf(outcomes.values())));
        objects.write(bucket, key, whole.toString());
        return summary;
    }

    private FleetSummary.Rollback rollbackList(String prefix, int wave, Map<String, DatabaseOutcome> outcomes, Map<String, JsonNode> databases) {
        ArrayNode items = json.createArrayNode();
        for (DatabaseOutcome outcome : outcomes.values()) {
            if (outcome.wave() == wave && outcome.outcome().equals("released")) {
                // A database that had no version before the release goes back to empty: version 0.
                items.addObject().put("name", outcome.name()).put("targetVersion", outcome.versionBefore() == null ? "0" : outcome.versionBefore())
                        .set("database", databases.get(outcome.name()));
            }
        }
        String key = prefix + "rollback.json";
        objects.write(bucket, key, items.toString());
        return new FleetSummary.Rollback(bucket, key, items.size());
    }

    /** Every entry the ResultWriter left under {@code resultsPrefix}: SUCCEEDED and FAILED files each manifest names. */
    private List<JsonNode> results(String resultsPrefix) {
        List<JsonNode> entries = new ArrayList<>();
        for (String key : objects.keys(bucket, resultsPrefix + "/", 1_000)) {
            if (!key.endsWith("/manifest.json")) {
                continue;
            }
            JsonNode manifest = parse(objects.read(bucket, key, FleetPlanner.MAX_MANIFEST_BYTES), key);
            for (String kind : List.of("SUCCEEDED", "FAILED")) {
                for (JsonNode file : manifest.path("ResultFiles").path(kind)) {
                    String fileKey = file.path("Key").asText();
                    parse(objects.read(bucket, fileKey, MAX_RESULTS_BYTES), fileKey).forEach(entries::add);
                }
            }
        }
        return entries;
    }

    private DatabaseOutcome outcome(JsonNode entry, int wave) {
        JsonNode input = parse(entry.path("Input").asText("{}"), "a result's input");
        String name = input.path("name").asText(null);
        if (name == null) {
            return null;
        }
        if (entry.path("Status").asText().equals("SUCCEEDED")) {
            JsonNode output = parse(entry.path("Output").asText("{}"), "a result's output");
            return new DatabaseOutcome(name, wave, "released", text(output.path("versionBefore")), text(output.path("versionAfter")), null,
                    output.path("execution").asText(null));
        }
        JsonNode child = childDescription(entry);
        return new DatabaseOutcome(name, wave, "failed", null, null, error(entry),
                child == null ? entry.path("ExecutionArn").asText(null) : child.path("ExecutionArn").asText(null));
    }

    /** A failed item's error: the pipeline execution's own (inside States.TaskFailed's cause), else the item's. */
    private String error(JsonNode entry) {
        JsonNode child = childDescription(entry);
        String text = child != null && child.has("Error")
                ? child.path("Error").asText() + ": " + child.path("Cause").asText("")
                : entry.path("Error").asText("") + ": " + entry.path("Cause").asText("");
        return text.length() > MAX_ERROR ? text.substring(0, MAX_ERROR) + "..." : text;
    }

    private JsonNode childDescription(JsonNode entry) {
        String cause = entry.path("Cause").asText("");
        if (!cause.startsWith("{")) {
            return null;
        }
        try {
            JsonNode description = json.readTree(cause);
            return description != null && description.has("ExecutionArn") ? description : null;
        } catch (IOException e) {
            return null;
        }
    }

    private JsonNode parse(String text, String what) {
        try {
            JsonNode node = json.readTree(text);
            return node == null ? json.createObjectNode() : node;
        } catch (IOException e) {
            throw new InvalidRequest(what + " is not JSON; the fleet's objects were changed by something other than the fleet");
        }
    }

    private static String text(JsonNode value) {
        return value.isMissingNode() || value.isNull() ? null : value.asText();
    }

    private static int count(Map<String, DatabaseOutcome> outcomes, String outcome) {
        return (int) outcomes.values().stream().filter(each -> each.outcome().equals(outcome)).count();
    }
}
