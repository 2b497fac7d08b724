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
    void usageErrors_andARefusedDefinition_exitTwo_beforeAnythingRuns() throws Exception {
        assertThat(run("--approve", "2")).isEqualTo(PipelineCommandLine.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("--input is required: the execution's input, e.g. events/pipeline/release.json\n");
        err.reset();
        assertThat(run("--input", "x.json", "--approve", "2", "--reject")).isEqualTo(PipelineCommandLine.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("--approve and --reject exclude each other\n");
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
