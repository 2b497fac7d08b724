package io.sluice.local;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.sluice.catalog.SchemaCatalog;
import io.sluice.command.CanaryCommand;
import io.sluice.command.MigrateCommand;
import io.sluice.command.RollbackCommand;
import io.sluice.command.ValidateCommand;
import io.sluice.config.SluiceConfig;
import io.sluice.error.SluiceException;
import io.sluice.function.CanaryCheckFunction;
import io.sluice.function.EventCodec;
import io.sluice.function.FunctionBoundary;
import io.sluice.function.MigrateFunction;
import io.sluice.function.RollbackFunction;
import io.sluice.function.ValidateFunction;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.ScriptLoader;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;

/**
 * Runs Sluice's main job on a laptop: the sample events from {@code events/}, through the real handlers, against
 * an embedded PostgreSQL holding nothing yet. Prints each step and a summary; writes every result to
 * {@code target/local-run/}. Exits non-zero when a step fails.
 */
public final class LocalPipeline {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RESULTS = Path.of("target", "local-run");

    /** One step: which handler, which sample event, and what the step is for. */
    private record Step(String name, String function, String event, String purpose) {
    }

    private record Outcome(Step step, boolean ok, long millis, String line) {
    }

    private static final List<Step> STEPS = List.of(
            new Step("preflight", "validate", "events/validate-preflight.json", "history vs scripts, pending, undo scripts"),
            new Step("plan", "migrate", "events/migrate-dry-run.json", "dry run: the ordered plan, nothing changed"),
            new Step("migrate", "migrate", "events/migrate.json", "apply pending migrations"),
            new Step("migrate-again", "migrate", "events/migrate.json", "same event again: must change nothing"),
            new Step("post-migrate", "validate", "events/validate-post-migrate.json",
                    "live schema equals the snapshot recorded for the new version; contract holds"),
            new Step("canary-5", "canary-check", "events/canary-check.json",
                    "canary stage 5%: the database's health signals and the application's critical reads"),
            new Step("drift", "validate", "events/validate-drift.json", "scheduled drift check: nothing changed outside migrations"),
            new Step("rollback-plan", "rollback", "events/rollback-dry-run.json", "what undoing everything would run"));

    private LocalPipeline() {
    }

    public static void main(String[] args) throws Exception {
        java.util.logging.Logger.getLogger("").setLevel(Boolean.getBoolean("local.verbose") ? Level.INFO : Level.WARNING);
        Files.createDirectories(RESULTS);

        System.out.println("Sluice local pipeline");
        System.out.print("  starting embedded PostgreSQL ... ");
        long start = System.nanoTime();
        TestDatabase db = PostgresServer.get().newDatabase();
        System.out.printf("ready in %d ms (%s)%n", millis(start), db.jdbcUrl());

        SluiceConfig config = config();
        DatabaseConnector connector = new DatabaseConnector(config);
        FunctionBoundary codec = new FunctionBoundary(new EventCodec());
        ScriptLoader loader = new ScriptLoader(config);
        RequestStreamHandler migrate = new MigrateFunction(new MigrateCommand(loader, connector, new SchemaCatalog(config), config), codec);
        SchemaCatalog catalog = new SchemaCatalog(config);
        RequestStreamHandler validate = new ValidateFunction(new ValidateCommand(loader, connector, catalog, config), codec);
        RequestStreamHandler rollback = new RollbackFunction(new RollbackCommand(loader, connector, catalog, config), codec);
        RequestStreamHandler canary = new CanaryCheckFunction(new CanaryCommand(connector), codec);

        List<Outcome> outcomes = new ArrayList<>();
        for (Step step : STEPS) {
            System.out.printf("%n[%d/%d] %s (%s <- %s)%n      %s%n", outcomes.size() + 1, STEPS.size(), step.name(),
                    step.function(), step.event(), step.purpose());
            RequestStreamHandler handler = switch (step.function()) {
                case "migrate" -> migrate;
                case "validate" -> validate;
                case "canary-check" -> canary;
                default -> rollback;
            };
            Outcome outcome = run(step, handler, db);
            outcomes.add(outcome);
            System.out.println("      " + outcome.line().replace("\n", "\n      "));
            if (!outcome.ok()) {
                break;
            }
        }

        System.out.printf("%nSummary%n");
        for (Outcome outcome : outcomes) {
            System.out.printf("  %-14s %-6s %6d ms  %s%n", outcome.step().name(), outcome.ok() ? "OK" : "FAILED",
                    outcome.millis(), outcome.line().lines().findFirst().orElse(""));
        }
        boolean allOk = outcomes.size() == STEPS.size() && outcomes.stream().allMatch(Outcome::ok);
        System.out.printf("%n%s. Results: %s%n", allOk ? "Pipeline succeeded" : "Pipeline FAILED", RESULTS.toAbsolutePath());
        System.exit(allOk ? 0 : 1);
    }

    private static Outcome run(Step step, RequestStreamHandler handler, TestDatabase db) throws IOException {
        ObjectNode event = (ObjectNode) JSON.readTree(Path.of(step.event()).toFile());
        event.set("database", JSON.readTree(db.targetJson()));
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        long start = System.nanoTime();
        try {
            handler.handleRequest(new ByteArrayInputStream(JSON.writeValueAsBytes(event)), output, null);
        } catch (SluiceException e) {
            return new Outcome(step, false, millis(start), e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        long took = millis(start);
        JsonNode result = JSON.readTree(output.toByteArray());
        Files.writeString(RESULTS.resolve(step.name() + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result),
                StandardCharsets.UTF_8);
        String description = switch (step.function()) {
            case "migrate" -> Describe.migrate(result);
            case "validate" -> Describe.validate(result);
            case "canary-check" -> Describe.canary(result);
            default -> Describe.rollback(result);
        };
        boolean ok = switch (step.function()) {
            case "validate" -> result.get("valid").asBoolean();
            case "canary-check" -> !result.get("verdict").asText().equals("FAILED");
            default -> true;
        };
        return new Outcome(step, ok, took, description);
    }

    /** Reads {@code application.properties} the way the function does, without starting Quarkus. */
    private static SluiceConfig config() {
        SmallRyeConfig config = new SmallRyeConfigBuilder()
                .addDefaultSources()
                .addDiscoveredSources()
                .withMapping(SluiceConfig.class)
                .build();
        return config.getConfigMapping(SluiceConfig.class);
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}
