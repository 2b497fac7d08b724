package io.sluice.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.cli.PipelineCommandLine;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;

/**
 * Runs the release pipeline on a laptop: the Step Functions definition {@code terraform/statemachine/pipeline.asl.json}
 * executed by Sluice's local runner, with the four functions in this process, on {@code events/pipeline/release.json} and the
 * sample migrations, against an embedded PostgreSQL holding nothing yet. Waits are scaled down (the canary windows
 * last 60 s deployed). Full reports of results too large for the state go to {@code target/local-run/reports}. Extra arguments go to {@code pipeline} ({@code --approve N}, {@code --reject}, ...); an
 * {@code --input} among them names another sample input, whose database is replaced the same way. Writes the
 * execution's trace to {@code target/local-run/}; exits non-zero when the execution fails.
 */
public final class LocalPipeline {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RESULTS = Path.of("target", "local-run");

    private LocalPipeline() {
    }

    public static void main(String[] args) throws Exception {
        Files.createDirectories(RESULTS);
        System.out.print("Starting an embedded PostgreSQL ... ");
        long start = System.nanoTime();
        TestDatabase db = PostgresServer.get().newDatabase();
        System.out.printf("ready in %d ms (%s)%n", (System.nanoTime() - start) / 1_000_000, db.jdbcUrl());

        List<String> options = new ArrayList<>(List.of(args));
        Path sample = Path.of("events", "pipeline", "release.json");
        int given = options.indexOf("--input");
        if (given >= 0 && given + 1 < options.size()) {
            sample = Path.of(options.get(given + 1));
            options.subList(given, given + 2).clear();
        }
        System.out.printf("Input: %s, its database replaced by the embedded one%n", sample);
        ObjectNode input = (ObjectNode) JSON.readTree(sample.toFile());
        input.set("database", JSON.readTree(db.targetJson()));
        Path record = RESULTS.resolve("input.json");
        Path inputFile = RunInputs.write(record, input);

        List<String> arguments = new ArrayList<>(List.of("--input", inputFile.toString(), "--wait-scale", "0.02",
                "--trace", RESULTS.resolve("trace.json").toString(), "--reports", RESULTS.resolve("reports").toString()));
        if (Boolean.getBoolean("local.verbose")) {
            arguments.add("--verbose");
        }
        arguments.addAll(options);
        int exit = PipelineCommandLine.run(arguments.toArray(String[]::new), System.out, System.err);
        System.out.printf("Trace: %s%n", RESULTS.resolve("trace.json").toAbsolutePath());
        System.exit(exit);
    }
}
