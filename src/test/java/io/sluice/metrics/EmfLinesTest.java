package io.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.command.CanaryCommand;
import io.sluice.error.SluiceException;
import io.sluice.function.CanaryCheckFunction;
import io.sluice.function.EventCodec;
import io.sluice.function.FunctionBoundary;
import io.sluice.function.MigrateFunction;
import io.sluice.function.ValidateFunction;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.canary.ApplicationMetrics;
import io.sluice.testing.TestDatabase;

/**
 * The metric line each invocation writes, from the real handlers on a real PostgreSQL, held to the CloudWatch Embedded
 * Metric Format specification: a root {@code _aws} with a millisecond {@code Timestamp} and {@code CloudWatchMetrics}
 * directives, each with a Namespace, dimension sets of at most 30 names that are string members of the root, and at
 * most 100 metric definitions whose names are numeric members of the root, with a standard unit; no members the
 * specification does not define inside {@code _aws}.
 */
class EmfLinesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes",
            "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
            "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second", "Kilobits/Second",
            "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None");

    private final List<String> lines = new ArrayList<>();
    private final FunctionBoundary boundary = new FunctionBoundary(new EventCodec(), new InvocationMetrics(lines::add));

    private JsonNode invoke(RequestStreamHandler handler, String event) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, null);
        return JSON.readTree(out.toByteArray());
    }

    private String sample(String file, TestDatabase db) throws Exception {
        ObjectNode event = (ObjectNode) JSON.readTree(Files.readString(Path.of("events", file)));
        event.set("database", JSON.readTree(db.targetJson()));
        return event.toString();
    }

    /**
     * The drift alarm counts DriftObjects: a release's own post-migrate check of an object changed by hand used to emit
     * it too and trip the alarm meant for the scheduled check. Only mode drift emits DriftObjects; every other mode's
     * differences are SchemaDifferences.
     */
    @Test
    void onlyTheDriftCheck_emitsDriftObjects_aReleasesPostMigrateCheckEmitsSchemaDifferences() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        MigrateFunction migrate = new MigrateFunction(Sluice.migrate(), boundary);
        ValidateFunction validate = new ValidateFunction(Sluice.validate(), boundary);
        invoke(migrate, sample("migrate.json", db));
        db.sql("CREATE TABLE made_by_hand (id bigint PRIMARY KEY)");
        lines.clear();

        ObjectNode post = (ObjectNode) JSON.readTree(sample("validate-post-migrate.json", db));
        post.put("failOnInvalid", false);
        JsonNode postReport = invoke(validate, post.toString());
        JsonNode driftReport = invoke(validate, sample("validate-drift.json", db));

        assertThat(postReport.path("differences").size()).as("post-migrate sees the table made by hand").isPositive();
        assertThat(driftReport.path("differences").size()).as("so does the drift check").isPositive();
        JsonNode postLine = JSON.readTree(lines.get(0));
        JsonNode driftLine = JSON.readTree(lines.get(1));
        assertThat(postLine.path("mode").asText()).isEqualTo("post-migrate");
        assertThat(postLine.has("DriftObjects")).as("a release's check never trips the drift alarm").isFalse();
        assertThat(postLine.path("SchemaDifferences").asInt()).isEqualTo(postReport.path("differences").size());
        assertThat(driftLine.path("mode").asText()).isEqualTo("drift");
        assertThat(driftLine.path("DriftObjects").asInt()).isEqualTo(driftReport.path("differences").size());
        assertThat(driftLine.has("SchemaDifferences")).isFalse();
    }

    @Test
    void everyInvocation_writesOneLine_thatTheSpecificationAccepts_withItsFiguresAsMetrics() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        MigrateFunction migrate = new MigrateFunction(Sluice.migrate(), boundary);
        ValidateFunction validate = new ValidateFunction(Sluice.validate(), boundary);
        CanaryCheckFunction canary = new CanaryCheckFunction(new CanaryCommand(Sluice.connector(), ApplicationMetrics.NONE), boundary);

        invoke(migrate, sample("migrate.json", db));
        invoke(validate, sample("validate-drift.json", db));
        invoke(canary, sample("canary-check.json", db));
        assertThatThrownBy(() -> invoke(migrate, "{\"deploymentId\": \"bad-1\", \"database\": {}}")).isInstanceOf(SluiceException.class);

        assertThat(lines).hasSize(4);
        List<JsonNode> parsed = new ArrayList<>();
        for (String line : lines) {
            assertThat(line).doesNotContain("\n").doesNotContain(PostgresServer.APP_PASSWORD);
            JsonNode node = JSON.readTree(line);
            assertThat(violations(node)).as(line).isEmpty();
            parsed.add(node);
        }
        assertThat(parsed).extracting(node -> node.get("Function").asText()).containsExactly("migrate", "validate", "canary-check", "migrate");
        assertThat(parsed.get(0).get("ScriptsApplied").asLong()).isEqualTo(4);
        assertThat(parsed.get(0).get("Errors").asLong()).isZero();
        assertThat(parsed.get(0).get("status").asText()).isEqualTo("MIGRATED");
        assertThat(parsed.get(0).get("deploymentId").asText()).isEqualTo("release-2026.11.24-1");
        assertThat(parsed.get(1).get("DriftObjects").asLong()).isZero();
        assertThat(parsed.get(1).get("mode").asText()).isEqualTo("drift");
        assertThat(parsed.get(2).get("CanaryHealthy").asLong() + parsed.get(2).get("CanaryDegraded").asLong()
                + parsed.get(2).get("CanaryFailed").asLong()).isEqualTo(1);
        assertThat(parsed.get(3).get("Errors").asLong()).isEqualTo(1);
        assertThat(parsed.get(3).get("errorType").asText()).isEqualTo("InvalidRequest");
        assertThat(parsed).allSatisfy(node -> assertThat(node.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
                .as("one low-cardinality dimension").isEqualTo("[[\"Function\"]]"));
    }

    @Test
    void theValidator_catchesWhatTheSpecificationForbids() throws Exception {
        assertThat(violations(JSON.readTree("{\"Function\": \"migrate\"}"))).containsExactly("no _aws object");
        assertThat(violations(JSON.readTree("{\"_aws\": {\"Timestamp\": 1, \"CloudWatchMetrics\": [{\"Namespace\": \"Sluice\","
                + " \"Dimensions\": [[\"Function\"]], \"Metrics\": [{\"Name\": \"Errors\", \"Unit\": \"Things\"}]}]}, \"Errors\": \"1\"}")))
                .containsExactly("dimension Function is not a string member of the root", "metric Errors has the unit Things",
                        "metric Errors is not a number (or array of numbers) at the root");
    }

    /** What in {@code line} breaks the EMF specification; empty when nothing does. */
    static List<String> violations(JsonNode line) {
        List<String> found = new ArrayList<>();
        JsonNode aws = line.get("_aws");
        if (aws == null || !aws.isObject()) {
            found.add("no _aws object");
            return found;
        }
        for (Iterator<String> names = aws.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("Timestamp") && !name.equals("CloudWatchMetrics") && !name.equals("LogGroupName") && !name.equals("LogStreamName")) {
                found.add("_aws has an undefined member " + name);
            }
        }
        if (!aws.path("Timestamp").isIntegralNumber() || aws.get("Timestamp").asLong() < 0) {
            found.add("_aws.Timestamp is not a number of milliseconds");
        }
        JsonNode directives = aws.get("CloudWatchMetrics");
        if (directives == null || !directives.isArray()) {
            found.add("_aws.CloudWatchMetrics is not an array");
            return found;
        }
        for (JsonNode directive : directives) {
            String namespace = directive.path("Namespace").asText("");
            if (!directive.path("Namespace").isTextual() || namespace.isEmpty() || namespace.length() > 1024) {
                found.add("a directive's Namespace is not a string of 1-1024 characters");
            }
            for (JsonNode set : directive.path("Dimensions")) {
                if (!set.isArray() || set.size() > 30) {
                    found.add("a dimension set is not an array of at most 30 names");
                    continue;
                }
                for (JsonNode dimension : set) {
                    JsonNode value = line.get(dimension.asText());
                    if (value == null || !value.isTextual() || value.asText().isEmpty() || value.asText().length() > 1024) {
                        found.add("dimension " + dimension.asText() + " is not a string member of the root");
                    }
                }
            }
            JsonNode metrics = directive.get("Metrics");
            if (metrics == null || !metrics.isArray() || metrics.isEmpty() || metrics.size() > 100) {
                found.add("a directive's Metrics is not an array of 1-100 definitions");
                continue;
            }
            for (JsonNode metric : metrics) {
                String name = metric.path("Name").asText("");
                for (Iterator<String> members = metric.fieldNames(); members.hasNext(); ) {
                    String member = members.next();
                    if (!Set.of("Name", "Unit", "StorageResolution").contains(member)) {
                        found.add("metric " + name + " has an undefined member " + member);
                    }
                }
                if (metric.has("Unit") && !UNITS.contains(metric.get("Unit").asText())) {
                    found.add("metric " + name + " has the unit " + metric.get("Unit").asText());
                }
                if (metric.has("StorageResolution") && !Set.of(1, 60).contains(metric.get("StorageResolution").asInt())) {
                    found.add("metric " + name + " has a StorageResolution other than 1 or 60");
                }
                JsonNode value = line.get(name);
                boolean numeric = value != null && (value.isNumber() || value.isArray() && value.size() <= 100
                        && java.util.stream.StreamSupport.stream(value.spliterator(), false).allMatch(JsonNode::isNumber));
                if (name.isEmpty() || name.length() > 1024 || !numeric) {
                    found.add("metric " + name + " is not a number (or array of numbers) at the root");
                }
            }
        }
        return found;
    }
}
