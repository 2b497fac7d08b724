package io.sluice.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.cli.PipelineCommandLine;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.WrittenFiles;

/** {@code pipeline} as a CI job calls it: exit codes, what it prints, the trace it writes. */
class PipelineCommandLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return PipelineCommandLine.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private Path sample(String name, TestDatabase db) throws Exception {
        ObjectNode input = (ObjectNode) JSON.readTree(Path.of("events", "pipeline", name).toFile());
        input.set("database", JSON.readTree(db.targetJson()));
        Path file = dir.resolve(name);
        Files.writeString(file, input.toString());
        return file;
    }

    @Test
    void dryRun_exitsZero_printsEachState_andWritesTheTrace() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        Path trace = dir.resolve("trace.json");

        int exit = run("pipeline", "--input", sample("release-dry-run.json", db).toString(), "--name", "plan-1", "--trace", trace.toString());

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(PipelineCommandLine.SUCCEEDED);
        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(printed).contains("  > Preflight (Task)\n", "  > Plan (Task)\n", "\nSUCCEEDED\n")
                .containsPattern("  < Planned \\d+ ms Succeeded\n").containsPattern("  Plan +1 +\\d+\n");
        JsonNode written = JSON.readTree(trace.toFile());
        assertThat(written.get("name").asText()).isEqualTo("plan-1");
        assertThat(written.at("/execution/status").asText()).isEqualTo("SUCCEEDED");
        assertThat(written.at("/definition/States/Plan/Parameters/FunctionName").asText())
                .isEqualTo("arn:aws:lambda:us-east-1:123456789012:function:sluice-migrate");
        assertThat(db.tableExists("customers")).isFalse();
    }

    @Test
    void rejectedApproval_exitsOne_andNothingIsMigrated() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();

        int exit = run("--input", sample("release-with-approval.json", db).toString(), "--reject", "--wait-scale", "0");

        assertThat(exit).isEqualTo(PipelineCommandLine.FAILED);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("      rejected (--reject)\n",
                "FAILED: NotDeployed: preflight, approval or the baseline window stopped the release before anything changed");
        assertThat(db.tableExists("customers")).isFalse();
    }

    @Test
    void aRelease_writesNoPasswordIntoItsTraceOrReports_andPrintsItsPreflightWarningsAndBaselineAsWhatTheyAre() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        Path trace = dir.resolve("written").resolve("trace.json");
        Files.createDirectories(trace.getParent());
        // Under the working directory, the local run's files root: V2 has no undo script and drops a default (a warning).
        Path migrations = Files.createDirectories(Files.createTempDirectory(Files.createDirectories(Path.of("target", "pipeline-runs")),
                "release-").resolve("migration"));
        Files.writeString(migrations.resolve("V1__orders.sql"), "CREATE TABLE orders (id bigint PRIMARY KEY, status text DEFAULT 'new');\n");
        Files.writeString(migrations.resolve("U1__orders.sql"), "DROP TABLE orders;\n");
        Files.writeString(migrations.resolve("V2__status_default.sql"), "ALTER TABLE orders ALTER COLUMN status DROP DEFAULT;\n");
        ObjectNode input = (ObjectNode) JSON.readTree(sample("release.json", db).toFile());
        input.put("migrations", "filesystem:" + migrations);
        ((ObjectNode) input.get("canary")).putArray("probes").add("SELECT count(*) FROM orders WHERE status = 'new'");
        Path file = dir.resolve("warned.json");
        Files.writeString(file, input.toString());

        int exit = run("--input", file.toString(), "--approve", "3", "--wait-scale", "0", "--trace", trace.toString(),
                "--reports", dir.resolve("written").resolve("reports").toString());

        String printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed + err.toString(StandardCharsets.UTF_8)).isEqualTo(PipelineCommandLine.SUCCEEDED);
        assertThat(JSON.readTree(trace.toFile()).at("/input/database/password").asText()).isEqualTo(Redaction.REDACTED);
        assertThat(WrittenFiles.holding(dir.resolve("written"), PostgresServer.APP_PASSWORD)).isEmpty();
        assertThat(printed).doesNotContain(PostgresServer.APP_PASSWORD).doesNotContain("verdict FAILED")
                .contains("[lambda] sluice-canary-check: baseline: 1 probe(s) cannot run yet, before the release (probe 1 failed:"
                        + " SQLSTATE 42P01 (undefined_table)); no state history: no migrate has run against this database yet (a baseline's"
                        + " verdict decides nothing: its counters are what later windows compare with)\n")
                .contains("\n        warning UNDO_MISSING V2__status_default.sql: ")
                .contains("\n        lint warning [ban-drop-default] V2__status_default.sql:1: the default of status is dropped\n");
    }

    @Test
    void aReleaseStoppedBeforeAnythingChanged_endsWithOneWholeLine_theStateTheErrorAndItsMessage() throws Exception {
        TestDatabase db = PostgresServer.get().newDatabase();
        ObjectNode input = (ObjectNode) JSON.readTree(sample("release.json", db).toFile());
        String outside = "filesystem:/tmp/myapp/" + "a-long-folder-name-".repeat(6) + "db/migration";
        input.put("migrations", outside);
        Path file = dir.resolve("outside.json");
        Files.writeString(file, input.toString());

        int exit = run("--input", file.toString(), "--approve", "3", "--wait-scale", "0");

        assertThat(exit).isEqualTo(PipelineCommandLine.FAILED);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[lines.length - 1]).startsWith("Preflight failed: io.sluice.error.InvalidRequest: field 'migrations': " + outside)
                .doesNotContain("more characters").doesNotContain("...");
    }

    @Test
    void usageErrors_andARefusedDefinition_exitTwo_beforeAnythingRuns() throws Exception {
        assertThat(run("--approve", "2")).isEqualTo(PipelineCommandLine.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("sluice pipeline run: Missing required option: '--input=FILE'\n");
        err.reset();
        assertThat(run("--input", "x.json", "--approve", "2", "--reject")).isEqualTo(PipelineCommandLine.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("sluice pipeline run: --approve and --reject exclude each other\n");
        err.reset();
        Path definition = dir.resolve("map.asl.json");
        Files.writeString(definition, "{\"StartAt\": \"Fan\", \"States\": {\"Fan\": {\"Type\": \"Parallel\", \"End\": true}}}");
        Path input = dir.resolve("input.json");
        Files.writeString(input, "{}");
        assertThat(run("--input", input.toString(), "--definition", definition.toString())).isEqualTo(PipelineCommandLine.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("definition refused: state 'Fan': Type Parallel is not one the local"
                + " runner implements");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }
}
