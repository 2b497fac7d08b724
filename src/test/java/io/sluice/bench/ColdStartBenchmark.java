package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.cli.LocalFunctions;
import io.sluice.testing.DeployedEnvironment;
import io.sluice.testing.DeployedFunctions;
import io.sluice.testing.LambdaRuntime;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * The functions as Lambda runs them: {@code target/function.zip} unpacked, each function started by AWS's Runtime
 * Interface Emulator ({@code aws-lambda-rie}, built from its Go module) exactly as the managed runtime starts it, and
 * invoked with a sample event against an embedded PostgreSQL migrated to the sample schema: the init phase, the first
 * invocation and the p50 and p90 of the warm ones after it (40 by default, {@code -Dbench.warm}), beside a handler
 * that returns its event on the same runtime client, the goal of each warm p50, and the median of the results' own
 * {@code durationMs} (the command without the runtime, the event's parsing and the result's writing). JVM mode runs AWS's Java runtime
 * interface client (what the java21 managed runtime uses); {@code -Dbench.mode=native} runs the native
 * {@code bootstrap} (GitHub's native job). The functions run with the memory Terraform gives them, in two forms: the
 * database from the event ({@code sluice.database.event-credentials}, as in the local pipeline), and, for migrate and
 * canary-check, as deployed: the environment Terraform gives each function, the database by its secret read from
 * Secrets Manager (moto) and cached, verify-full TLS, the reports bucket, metrics and JSON logs. Each warm p50 is
 * also measured from outside this JVM, by curl's own request time. {@code -Dbench.profile=true} records each function with Java Flight Recorder into
 * {@code target/ci-tools/profile-<case>.jfr}; {@code -Dbench.only=<text>} measures only the functions whose name holds it; {@code -Dbench.zip=<path>} another artifact (an
 * earlier build, to compare); {@code -Dbench.javaOptions=...} JVM options for the functions ({@code JAVA_TOOL_OPTIONS}).
 */
public final class ColdStartBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TOOLS = Path.of("target", "ci-tools");

    /**
     * One measured function: its handler, the event (a file, then edits) and the warm p50 it should reach (0: none).
     *
     * @param migrated whether the database is at the sample's latest version before the first call
     */
    private record Case(String name, String handler, Path event, java.util.function.Consumer<ObjectNode> edit, long goalMs,
            boolean migrated, int memoryMb) {
    }

    private static final List<Case> CASES = List.of(
            new Case("migrate (nothing pending)", "migrate", Path.of("events", "migrate.json"), event -> { }, 30, true, 1024),
            new Case("validate preflight", "validate", Path.of("events", "validate-preflight.json"), event -> { }, 40, true, 512),
            new Case("validate drift", "validate", Path.of("events", "validate-drift.json"), event -> { }, 0, true, 512),
            new Case("rollback dry run", "rollback", Path.of("events", "rollback-dry-run.json"), event -> event.remove("prove"), 30, true,
                    512),
            new Case("rollback dry run, proved", "rollback", Path.of("events", "rollback-dry-run.json"), event -> { }, 0, true, 512),
            new Case("canary-check (5 probe runs)", "canary-check", Path.of("events", "canary-check.json"), event -> { }, 0, true, 512),
            new Case("canary-check (no probes)", "canary-check", Path.of("events", "canary-check.json"),
                    event -> event.without(List.of("probes", "probeRuns")), 15, true, 512),
            new Case("health", "health", Path.of("events", "health.json"), event -> { }, 0, true, 512),
            new Case("approve (not an approver)", "approve", Path.of("events", "approval", "approve.json"), event -> { }, 5, true, 512));

    /** initMs: the emulator's INIT REPORT for the init phase (the runtime's start up to its first request for work). */
    /** commandP50Ms: the median of the results' own {@code durationMs} (the command alone), -1 when they have none. */
    /** outsideP50Us: the warm p50 curl measures for its own request, from outside this JVM; -1 without curl. */
    private record Timing(String name, long initMs, long firstMs, long warmP50Ms, long warmP90Ms, long commandP50Ms, long outsideP50Us,
            String outcome) {
    }

    private static final java.util.regex.Pattern INIT_REPORT = java.util.regex.Pattern.compile("INIT REPORT\\(durationMs: ([0-9.]+)\\)");

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean nativeMode = "native".equals(System.getProperty("bench.mode", "jvm"));
        boolean profile = Boolean.getBoolean("bench.profile");
        int warm = Integer.getInteger("bench.warm", 40);
        Path zip = Path.of(System.getProperty("bench.zip", "target/function.zip").isBlank() ? "target/function.zip"
                : System.getProperty("bench.zip", "target/function.zip"));
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("no target/function.zip: run ./mvnw -q package -DskipTests first");
        }
        Path unpacked = LambdaRuntime.unzip(zip, TOOLS.resolve("function-" + (nativeMode ? "native" : "jvm")
                + (zip.equals(Path.of("target/function.zip")) ? "" : "-" + Integer.toHexString(zip.toAbsolutePath().hashCode()))));
        long unpackedBytes;
        try (var files = Files.walk(unpacked)) {
            unpackedBytes = files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
        System.out.printf("Functions under aws-lambda-rie (%s), %s artifact: function.zip %.1f MB, unpacked %.1f MB; %d warm calls each%n",
                LambdaRuntime.RIE_VERSION, nativeMode ? "native" : "JVM", Files.size(zip) / 1e6, unpackedBytes / 1e6, warm);
        String header = String.format("%-36s %9s %10s %9s %9s %9s %9s %9s  %s", "function (event)", "init ms", "first ms", "warm p50",
                "warm p90", "goal p50", "command", "curl p50", "outcome");
        System.out.println(header);
        List<Timing> timings = new ArrayList<>();
        String only = System.getProperty("bench.only", "");
        for (Case measured : CASES) {
            if (!only.isBlank() && !measured.name().contains(only)) {
                continue;
            }
            TestDatabase db = measured.migrated() ? Sluice.migratedDatabase() : PostgresServer.get().newDatabase();
            ObjectNode event = (ObjectNode) JSON.readTree(measured.event().toFile());
            if (event.has("database")) {
                event.set("database", JSON.readTree(db.targetJson()));
            }
            measured.edit().accept(event);
            List<String> command = nativeMode ? List.of(unpacked.resolve("bootstrap").toString())
                    : LambdaRuntime.javaRuntime(unpacked, LambdaRuntime.QUARKUS_HANDLER);
            Map<String, String> environment = new LinkedHashMap<>(Map.of("QUARKUS_LAMBDA_HANDLER", measured.handler(),
                    "SLUICE_AWS_ENABLED", "false", "SLUICE_DATABASE_EVENT_CREDENTIALS", "true",
                    "AWS_LAMBDA_FUNCTION_NAME", "sluice-" + measured.handler(),
                    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(measured.memoryMb()), "AWS_REGION", "us-east-1"));
            String javaOptions = System.getProperty("bench.javaOptions", "");
            if (!javaOptions.isBlank() && !nativeMode) {
                environment.put("JAVA_TOOL_OPTIONS", javaOptions);
            }
            if (profile && !nativeMode) {
                String file = TOOLS.resolve("profile-" + measured.name().replaceAll("[^a-z0-9]+", "-") + ".jfr").toAbsolutePath().toString();
                environment.put("JAVA_TOOL_OPTIONS", "-XX:StartFlightRecording=filename=" + file + ",settings=profile");
            }
            Timing timing = measure(command, environment, measured.name(), event.toString(), warm);
            timings.add(timing);
            print(timing, measured.goalMs());
        }
        if (!nativeMode) {
            timings.addAll(deployed(unpacked, warm, only));
        }
        if (!nativeMode) {
            Path echo = Path.of(EchoHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> command = new ArrayList<>(LambdaRuntime.javaRuntime(unpacked, EchoHandler.class.getName() + "::handleRequest"));
            int cp = command.indexOf("-cp") + 1;
            command.set(cp, echo + java.io.File.pathSeparator + command.get(cp));
            Timing floor = measure(command, Map.of("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512"), "floor (echo)", "{\"ping\": 1}", warm);
            print(floor, 0);
            System.out.printf("Sluice's first invocation is %.1fx the floor's (median over functions); warm p50 %.1fx%n",
                    median(timings.stream().mapToLong(Timing::firstMs).toArray()) / (double) Math.max(1, floor.firstMs()),
                    median(timings.stream().mapToLong(Timing::warmP50Ms).toArray()) / (double) Math.max(1, floor.warmP50Ms()));
        }
    }

    private static void print(Timing timing, long goalMs) {
        String goal = goalMs == 0 ? "-" : (timing.warmP50Ms() <= goalMs ? "<= " : "> ") + goalMs;
        System.out.printf("%-36s %9d %10d %9d %9d %9s %9s %9s  %s%n", timing.name(), timing.initMs(), timing.firstMs(), timing.warmP50Ms(),
                timing.warmP90Ms(), goal, timing.commandP50Ms() < 0 ? "-" : String.valueOf(timing.commandP50Ms()),
                timing.outsideP50Us() < 0 ? "-" : String.format("%.1f", timing.outsideP50Us() / 1000.0), timing.outcome());
    }

    /**
     * The same functions as a deployment runs them: the environment Terraform gives each (evaluated from the module:
     * AWS on, the database by its secret read from Secrets Manager (moto), verify-full TLS against the deployment's CA
     * bundle, the reports bucket, metrics and JSON logs), against the sample database at its latest version.
     */
    private static List<Timing> deployed(Path unpacked, int warm, String only) throws Exception {
        List<Timing> timings = new ArrayList<>();
        DeployedEnvironment aws = DeployedEnvironment.get();
        PostgresServer.RDS_CA.bundle(unpacked.resolve("rds-global-bundle.pem"));
        DeployedFunctions functions = aws.functions().withTaskRoot(unpacked);
        TestDatabase db = aws.database();
        db.clear();
        // The sample at its latest version, migrated by the deployed function in this process: every measured call
        // then finds nothing pending, as a warm container does between releases.
        byte[] migrated = io.sluice.workflow.HandlerInvocation.invoke(functions.byArn().get(LocalFunctions.arn("migrate")),
                "sluice-migrate", aws.event(aws.sampleMigrations()).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                System.currentTimeMillis() + 300_000);
        if (!JSON.readTree(migrated).path("status").asText().equals("MIGRATED")) {
            throw new IllegalStateException("the deployed sample did not migrate: " + new String(migrated, java.nio.charset.StandardCharsets.UTF_8));
        }
        Map<String, String> events = new LinkedHashMap<>();
        events.put("migrate (deployed, secretArn)", aws.event(aws.sampleMigrations()));
        events.put("canary-check (deployed, no probes)", aws.event("\"stage\": 1"));
        Map<String, Long> goals = Map.of("migrate (deployed, secretArn)", 30L, "canary-check (deployed, no probes)", 15L);
        for (Map.Entry<String, String> each : events.entrySet()) {
            if (!only.isBlank() && !each.getKey().contains(only)) {
                continue;
            }
            String handler = each.getKey().startsWith("migrate") ? "migrate" : "canary-check";
            Timing timing = measure(LambdaRuntime.javaRuntime(unpacked, LambdaRuntime.QUARKUS_HANDLER), functions.environment(handler),
                    each.getKey(), each.getValue(), warm);
            timings.add(timing);
            print(timing, goals.get(each.getKey()));
        }
        return timings;
    }

    private static Timing measure(List<String> runtime, Map<String, String> environment, String name, String event, int warm)
            throws Exception {
        try (LambdaRuntime lambda = LambdaRuntime.start(runtime, environment, name.replaceAll("[^a-z0-9]+", "-"))) {
            LambdaRuntime.Invocation first = lambda.invoke(event);
            long[] warmMs = new long[warm];
            long[] commandMs = new long[warm];
            for (int i = 0; i < warm; i++) {
                LambdaRuntime.Invocation invocation = lambda.invoke(event);
                warmMs[i] = invocation.micros();
                commandMs[i] = durationMs(invocation.body());
            }
            String recording = environment.getOrDefault("JAVA_TOOL_OPTIONS", "");
            if (recording.contains("filename=")) {
                // The emulator stops the runtime with SIGKILL: the recording is written now or never.
                String file = recording.substring(recording.indexOf("filename=") + 9, recording.indexOf(','));
                for (ProcessHandle child : lambda.runtimeProcesses().toList()) {
                    new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(), String.valueOf(child.pid()),
                            "JFR.dump", "filename=" + file).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start().waitFor();
                }
            }
            java.util.regex.Matcher init = INIT_REPORT.matcher(lambda.log());
            long initMs = init.find() ? Math.round(Double.parseDouble(init.group(1))) : -1;
            return new Timing(name, initMs, first.millis(), percentile(warmMs, 50) / 1000, percentile(warmMs, 90) / 1000,
                    Arrays.stream(commandMs).anyMatch(ms -> ms < 0) ? -1 : percentile(commandMs, 50), outside(lambda, event, warm),
                    outcome(first.body()));
        }
    }

    /**
     * The warm p50 in microseconds as a client outside this JVM sees it: curl's own {@code time_total} for each of
     * {@code calls} more invocations (one curl process each, its start not counted); -1 where curl is missing.
     */
    private static long outside(LambdaRuntime lambda, String event, int calls) throws InterruptedException {
        Path body;
        try {
            body = Files.createTempFile("bench-event", ".json");
            Files.writeString(body, event);
        } catch (IOException e) {
            return -1;
        }
        long[] micros = new long[calls];
        try {
            for (int i = 0; i < calls; i++) {
                Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{time_total}", "--data-binary", "@" + body,
                        lambda.invocations().toString()).redirectErrorStream(true).start();
                String said = new String(curl.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
                if (curl.waitFor() != 0) {
                    return -1;
                }
                micros[i] = Math.round(Double.parseDouble(said) * 1_000_000);
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        } finally {
            body.toFile().delete();
        }
        return percentile(micros, 50);
    }

    /** The result's own {@code durationMs}, or -1. */
    private static long durationMs(String body) {
        try {
            var duration = JSON.readTree(body).get("durationMs");
            return duration == null || !duration.canConvertToLong() ? -1 : duration.asLong();
        } catch (IOException e) {
            return -1;
        }
    }

    /** What the invocation returned, in a few words: its status or verdict, or the error type. */
    private static String outcome(String body) {
        try {
            var node = JSON.readTree(body);
            for (String field : new String[] {"status", "verdict", "valid", "errorType", "statusCode", "ping"}) {
                if (node.has(field)) {
                    String value = node.get(field).asText();
                    return field + " " + value.substring(value.lastIndexOf('.') + 1);
                }
            }
            return body.length() > 60 ? body.substring(0, 60) : body;
        } catch (IOException e) {
            return body.length() > 60 ? body.substring(0, 60) : body;
        }
    }

    private static long median(long[] values) {
        return percentile(values, 50);
    }

    /** The nearest-rank percentile. */
    private static long percentile(long[] values, int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[Math.max(0, (int) Math.ceil(percent / 100.0 * sorted.length) - 1)];
    }
}
