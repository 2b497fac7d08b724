package io.sluice.fleet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.FleetRequest;
import io.sluice.files.Csv;

/**
 * Cuts a fleet into waves: a canary wave ({@code canaryDatabases}, default 1), then waves of the given shares of the
 * fleet ({@code waves}, default 5 % then 25 %, each at least one database), then the rest. The targets come inline
 * ({@code targets}: {@code {name, database, canary?}} each) or from a manifest object ({@code manifest}:
 * {@code {bucket, key, format}}, a JSON array of the same, or CSV with the columns {@code name}, {@code secretArn} and
 * optionally {@code canaryParameterName}). Every database is checked as any event's is (the deployment's allowed
 * secrets) before anything is written, so a fleet with one bad target never starts. Each target's {@code canary}
 * fields are laid over the release's (its own traffic parameter, say). The plan, and one object per wave, go under
 * {@code fleet/<execution name>/}.
 */
public final class FleetPlanner {

    /** Step Functions runs at most 10,000 child executions of a Distributed Map at once; a fleet is at most that. */
    public static final int MAX_TARGETS = 10_000;
    static final long MAX_MANIFEST_BYTES = 16L * 1024 * 1024;
    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(FleetPlanner.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,79}");
    private static final Set<String> FLEET_FIELDS = Set.of("targets", "manifest", "canaryDatabases", "waves", "maxConcurrency",
            "toleratedFailurePercentage", "rollbackFailedWave");
    private static final Set<String> TARGET_FIELDS = Set.of("name", "database", "canary");
    private static final Set<String> CSV_COLUMNS = Set.of("name", "secretArn", "canaryParameterName");

    private final ObjectMapper json;
    private final FleetObjects objects;
    private final String bucket;
    private final Consumer<DatabaseTarget> allowed;
    private final Optional<Integer> concurrencyLimit;

    /**
     * @param bucket  where fleets are kept
     * @param allowed checks one database as any event's is checked (throws when the deployment may not use it)
     */
    public FleetPlanner(ObjectMapper json, FleetObjects objects, String bucket, Consumer<DatabaseTarget> allowed) {
        this(json, objects, bucket, allowed, Optional.empty());
    }

    /**
     * @param concurrencyLimit the most pipelines that may run at once: the smallest reserved concurrency of the functions
     *                         a pipeline invokes (Terraform's {@code function_reserved_concurrency}); more would be
     *                         throttled, retried out and counted as failed releases
     */
    public FleetPlanner(ObjectMapper json, FleetObjects objects, String bucket, Consumer<DatabaseTarget> allowed,
            Optional<Integer> concurrencyLimit) {
        this.json = json;
        this.objects = objects;
        this.bucket = bucket;
        this.allowed = allowed;
        this.concurrencyLimit = concurrencyLimit;
    }

    public WavePlan plan(FleetRequest request) {
        JsonNode fleet = request.fleet();
        for (Iterator<String> names = fleet.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FLEET_FIELDS.contains(name)) {
                throw new InvalidRequest("field 'fleet." + Echo.value(name) + "' is unknown; a fleet has " + String.join(", ", FLEET_FIELDS.stream().sorted().toList()));
            }
        }
        int canary = whole(fleet, "canaryDatabases", 1, 1, MAX_TARGETS);
        // The waves' Maps run this many at once (MaxConcurrencyPath reads the plan's), within what the reservation allows.
        int requested = whole(fleet, "maxConcurrency", 10, 0, MAX_TARGETS);
        int maxConcurrency = concurrencyLimit.map(limit -> requested == 0 ? limit : Math.min(requested, limit)).orElse(requested);
        String concurrencyNote = maxConcurrency == requested ? null : "fleet.maxConcurrency " + (requested == 0 ? "0 (no limit)"
                : requested) + " runs at " + maxConcurrency + ": the functions' reserved concurrency (function_reserved_concurrency)"
                + " runs " + maxConcurrency + " pipeline(s) at once, and more would be throttled until their retries ran out and"
                + " counted as failed releases";
        if (concurrencyNote != null) {
            LOG.info(concurrencyNote);
        }
        JsonNode rollback = fleet.get("rollbackFailedWave");
        if (rollback != null && !rollback.isNull() && !rollback.isBoolean()) {
            throw new InvalidRequest("field 'fleet.rollbackFailedWave' must be true or false");
        }
        List<Double> shares = shares(fleet.get("waves"));
        double tolerated = fleet.has("toleratedFailurePercentage") && !fleet.get("toleratedFailurePercentage").isNull()
                ? percentage(fleet.get("toleratedFailurePercentage"), "fleet.toleratedFailurePercentage") : 0;
        ArrayNode targets = targets(fleet, request.canary() != null && request.canary().isObject() ? request.canary() : json.createObjectNode());
        if (canary > targets.size()) {
            throw new InvalidRequest("field 'fleet.canaryDatabases' is " + canary + ", more than the fleet's " + targets.size() + " database(s)");
        }
        String prefix = "fleet/" + request.executionName() + "/";
        List<int[]> cuts = cuts(targets.size(), canary, shares);
        List<WavePlan.Wave> waves = new ArrayList<>();
        for (int i = 0; i < cuts.size(); i++) {
            int[] cut = cuts.get(i);
            ArrayNode items = json.createArrayNode();
            for (int t = cut[0]; t < cut[1]; t++) {
                items.add(targets.get(t));
            }
            String label = i == 0 ? "canary" : i <= shares.size() && cut[2] >= 0 ? percent(shares.get(cut[2])) : "rest";
            String key = prefix + "wave-" + (i + 1) + ".json";
            objects.write(bucket, key, items.toString());
            waves.add(new WavePlan.Wave(i + 1, label, items.size(), key, prefix + "results/wave-" + (i + 1), i == 0 ? 0 : tolerated));
        }
        WavePlan plan = new WavePlan(request.execution(), targets.size(), bucket, prefix, targets.get(0), waves.size(), waves,
                maxConcurrency, concurrencyNote);
        ObjectNode kept = json.valueToTree(plan);
        kept.put("deploymentId", request.deploymentId().value());
        objects.write(bucket, prefix + "plan.json", kept.toString());
        return plan;
    }

    /** [from, to, share index or -1] per wave: the canary, each share of the fleet (at least one), the rest. */
    static List<int[]> cuts(int total, int canary, List<Double> shares) {
        List<int[]> cuts = new ArrayList<>();
        cuts.add(new int[] {0, canary, -1});
        int next = canary;
        for (int i = 0; i < shares.size() && next < total; i++) {
            int size = Math.max(1, (int) Math.ceil(total * shares.get(i) / 100.0));
            int end = Math.min(total, next + size);
            cuts.add(new int[] {next, end, i});
            next = end;
        }
        if (next < total) {
            cuts.add(new int[] {next, total, -1});
        }
        return cuts;
    }

    private ArrayNode targets(JsonNode fleet, JsonNode releaseCanary) {
        boolean inline = fleet.has("targets") && !fleet.get("targets").isNull();
        boolean manifest = fleet.has("manifest") && !fleet.get("manifest").isNull();
        if (inline == manifest) {
            throw new InvalidRequest("field 'fleet' must have 'targets' (the databases) or 'manifest' (where they are listed), one of them");
        }
        JsonNode listed = inline ? fleet.get("targets") : manifest(fleet.get("manifest"));
        if (!listed.isArray() || listed.isEmpty()) {
            throw new InvalidRequest("the fleet's targets must be a non-empty array");
        }
        if (listed.size() > MAX_TARGETS) {
            throw new InvalidRequest("the fleet has " + listed.size() + " targets; at most " + MAX_TARGETS + " (a Distributed Map's limit)");
        }
        ArrayNode targets = json.createArrayNode();
        Set<String> names = new HashSet<>();
        Set<String> databases = new HashSet<>();
        for (int i = 0; i < listed.size(); i++) {
            JsonNode target = listed.get(i);
            String where = "the fleet's target " + (i + 1);
            if (!target.isObject()) {
                throw new InvalidRequest(where + " is not an object {name, database, canary?}");
            }
            for (Iterator<String> fields = target.fieldNames(); fields.hasNext(); ) {
                String field = fields.next();
                if (!TARGET_FIELDS.contains(field)) {
                    throw new InvalidRequest(where + " has the unknown field '" + Echo.value(field) + "'; a target has name, database and canary");
                }
            }
            String name = target.path("name").asText("");
            if (!NAME.matcher(name).matches()) {
                throw new InvalidRequest(where + ": 'name' must be 1-80 letters, digits, '_', '.' or '-', not '" + Echo.value(name) + "'");
            }
            if (!names.add(name)) {
                throw new InvalidRequest(where + ": the name " + name + " is given twice; each database of a fleet has a name of its own");
            }
            DatabaseTarget database;
            try {
                database = json.treeToValue(target.path("database"), DatabaseTarget.class);
            } catch (IOException | IllegalArgumentException e) {
                String why = e.getCause() instanceof InvalidRequest invalid ? invalid.getMessage() : Echo.value(message(e));
                throw new InvalidRequest(where + " (" + name + "): 'database' is not a database: " + why);
            } catch (InvalidRequest e) {
                throw new InvalidRequest(where + " (" + name + "): " + e.getMessage());
            }
            if (database == null) {
                throw new InvalidRequest(where + " (" + name + ") has no 'database'");
            }
            try {
                allowed.accept(database);
            } catch (RuntimeException e) {
                throw new InvalidRequest(where + " (" + name + "): " + e.getMessage());
            }
            if (!databases.add(target.get("database").toString())) {
                throw new InvalidRequest(where + " (" + name + ") names a database another target names; a fleet releases each database once");
            }
            JsonNode canary = target.path("canary");
            if (!canary.isMissingNode() && !canary.isNull() && !canary.isObject()) {
                throw new InvalidRequest(where + " (" + name + "): 'canary' must be an object (the release's canary settings for this database)");
            }
            ObjectNode item = targets.addObject();
            item.put("name", name);
            item.set("database", target.get("database"));
            ObjectNode merged = releaseCanary.deepCopy();
            if (canary.isObject()) {
                merged.setAll((ObjectNode) canary);
            }
            item.set("canary", merged);
        }
        return targets;
    }

    private JsonNode manifest(JsonNode manifest) {
        String manifestBucket = manifest.path("bucket").asText("");
        String key = manifest.path("key").asText("");
        String format = manifest.path("format").asText("JSON");
        if (manifestBucket.isEmpty() || key.isEmpty() || !Set.of("JSON", "CSV").contains(format) || manifest.size() > 3) {
            throw new InvalidRequest("field 'fleet.manifest' must be {bucket, key, format} with format JSON (the default) or CSV");
        }
        String body = objects.read(manifestBucket, key, MAX_MANIFEST_BYTES);
        if (format.equals("JSON")) {
            try {
                return json.readTree(body);
            } catch (IOException e) {
                throw new InvalidRequest("the manifest s3://" + Echo.value(manifestBucket + "/" + key) + " is not JSON: " + Echo.value(message(e)));
            }
        }
        List<List<String>> rows;
        try {
            rows = Csv.rows(body);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequest("the manifest s3://" + Echo.value(manifestBucket + "/" + key) + " is not CSV: " + e.getMessage());
        }
        if (rows.isEmpty() || !rows.get(0).containsAll(List.of("name", "secretArn")) || !CSV_COLUMNS.containsAll(rows.get(0))) {
            throw new InvalidRequest("the CSV manifest's first row must name its columns: name, secretArn and optionally canaryParameterName");
        }
        List<String> header = rows.get(0);
        ArrayNode targets = json.createArrayNode();
        for (List<String> row : rows.subList(1, rows.size())) {
            Map<String, String> cells = new HashMap<>();
            for (int i = 0; i < header.size(); i++) {
                cells.put(header.get(i), i < row.size() ? row.get(i) : "");
            }
            ObjectNode target = targets.addObject().put("name", cells.get("name"));
            target.putObject("database").put("secretArn", cells.get("secretArn"));
            if (!cells.getOrDefault("canaryParameterName", "").isEmpty()) {
                target.putObject("canary").put("parameterName", cells.get("canaryParameterName"));
            }
        }
        return targets;
    }

    private static List<Double> shares(JsonNode waves) {
        if (waves == null || waves.isNull()) {
            return List.of(5.0, 25.0);
        }
        if (!waves.isArray() || waves.size() > 20) {
            throw new InvalidRequest("field 'fleet.waves' must be an array of at most 20 shares of the fleet, in percent ([5, 25])");
        }
        List<Double> shares = new ArrayList<>();
        for (JsonNode share : waves) {
            double value = percentage(share, "fleet.waves");
            if (value <= 0) {
                throw new InvalidRequest("field 'fleet.waves' holds shares above 0 and at most 100, in percent");
            }
            shares.add(value);
        }
        return shares;
    }

    private static double percentage(JsonNode value, String field) {
        if (!value.isNumber() || value.asDouble() < 0 || value.asDouble() > 100) {
            throw new InvalidRequest("field '" + field + "' must be a number from 0 to 100 (percent), not " + Echo.value(value.toString()));
        }
        return value.asDouble();
    }

    private static int whole(JsonNode fleet, String field, int otherwise, int min, int max) {
        JsonNode value = fleet.get(field);
        if (value == null || value.isNull()) {
            return otherwise;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            throw new InvalidRequest("field 'fleet." + field + "' must be a whole number from " + min + " to " + max);
        }
        return value.asInt();
    }

    private static String percent(double share) {
        return (share == Math.rint(share) ? Long.toString((long) share) : Double.toString(share)) + "%";
    }

    private static String message(Exception e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException processing ? processing.getOriginalMessage() : e.getMessage();
    }
}
