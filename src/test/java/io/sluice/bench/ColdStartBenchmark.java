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

import io.sluice.testing.LambdaRuntime;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;

/**
 * Cold start of the Lambda artifact, measured as Lambda runs it: {@code target/function.zip} unpacked, each function
 * started by AWS's Runtime Interface Emulator ({@code aws-lambda-rie}, built from its Go module) exactly as the managed
 * runtime starts it, and invoked with its sample event against an embedded PostgreSQL (migrated to the sample schema,
 * but for migrate): the first invocation (the
 * runtime's start and Quarkus' included) and the median of the warm ones after it. Beside it, the floor: a handler
 * that returns its event, on the same runtime client. JVM mode runs AWS's Java runtime interface client
 * (what the java21 managed runtime uses); {@code -Dbench.mode=native} runs the native {@code bootstrap} (GitHub's
 * native job). Prints one row per function and the artifact's size.
 */
public final class ColdStartBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TOOLS = Path.of("target", "ci-tools");
    private static final Map<String, Path> EVENTS = new LinkedHashMap<>();

    static {
        EVENTS.put("migrate", Path.of("events", "migrate.json"));
        EVENTS.put("validate", Path.of("events", "validate-preflight.json"));
        EVENTS.put("rollback", Path.of("events", "rollback-dry-run.json"));
        EVENTS.put("canary-check", Path.of("events", "canary-check.json"));
        EVENTS.put("approve", Path.of("events", "approval", "approve.json"));
    }

    /** initMs: the emulator's INIT REPORT for the init phase (the runtime's start up to its first request for work). */
    private record Timing(String function, long initMs, long firstMs, long warmMedianMs, String outcome) {
    }

    private static final java.util.regex.Pattern INIT_REPORT = java.util.regex.Pattern.compile("INIT REPORT\\(durationMs: ([0-9.]+)\\)");

    private ColdStartBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        boolean nativeMode = "native".equals(System.getProperty("bench.mode", "jvm"));
        int warm = Integer.getInteger("bench.warm", 10);
        Path zip = Path.of("target", "function.zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("no target/function.zip: run ./mvnw -q package -DskipTests first");
        }
        Path unpacked = LambdaRuntime.unzip(zip, TOOLS.resolve("function-" + (nativeMode ? "native" : "jvm")));
        long unpackedBytes;
        try (var files = Files.walk(unpacked)) {
            unpackedBytes = files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
        System.out.printf("Cold start under aws-lambda-rie (%s), %s artifact: function.zip %.1f MB, unpacked %.1f MB%n", LambdaRuntime.RIE_VERSION,
                nativeMode ? "native" : "JVM", Files.size(zip) / 1e6, unpackedBytes / 1e6);
        System.out.printf("%-14s %10s %12s %14s  %s%n", "function", "init (ms)", "first (ms)", "warm p50 (ms)", "outcome");
        List<Timing> timings = new ArrayList<>();
        for (Map.Entry<String, Path> function : EVENTS.entrySet()) {
            // migrate starts from an empty database; the others find the sample schema in place, as after a release.
            TestDatabase db = function.getKey().equals("migrate") ? PostgresServer.get().newDatabase() : Sluice.migratedDatabase();
            ObjectNode event = (ObjectNode) JSON.readTree(function.getValue().toFile());
            if (event.has("database")) {
                event.set("database", JSON.readTree(db.targetJson()));
            }
            List<String> command = nativeMode ? List.of(unpacked.resolve("bootstrap").toString())
                    : LambdaRuntime.javaRuntime(unpacked, LambdaRuntime.QUARKUS_HANDLER);
            Timing timing = measure(command, function.getKey(), event.toString(), warm);
            timings.add(timing);
            System.out.printf("%-14s %10d %12d %14d  %s%n", timing.function(), timing.initMs(), timing.firstMs(), timing.warmMedianMs(),
                    timing.outcome());
        }
        if (!nativeMode) {
            Path echo = Path.of(EchoHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> command = new ArrayList<>(LambdaRuntime.javaRuntime(unpacked, EchoHandler.class.getName() + "::handleRequest"));
            int cp = command.indexOf("-cp") + 1;
            command.set(cp, echo + java.io.File.pathSeparator + command.get(cp));
            Timing floor = measure(command, "echo", "{\"ping\": 1}", warm);
            System.out.printf("%-14s %10d %12d %14d  %s%n", "floor (echo)", floor.initMs(), floor.firstMs(), floor.warmMedianMs(),
                    floor.outcome());
            System.out.printf("Sluice's first invocation is %.1fx the floor's (median over functions); warm %.1fx%n",
                    median(timings.stream().mapToLong(Timing::firstMs).toArray()) / (double) Math.max(1, floor.firstMs()),
                    median(timings.stream().mapToLong(Timing::warmMedianMs).toArray()) / (double) Math.max(1, floor.warmMedianMs()));
        }
    }

    private static Timing measure(List<String> runtime, String function, String event, int warm) throws Exception {
        Map<String, String> environment = Map.of("QUARKUS_LAMBDA_HANDLER", function, "SLUICE_AWS_ENABLED", "false",
                "AWS_LAMBDA_FUNCTION_NAME", "sluice-" + function, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024", "AWS_REGION", "us-east-1");
        try (LambdaRuntime lambda = LambdaRuntime.start(runtime, environment, function)) {
            LambdaRuntime.Invocation first = lambda.invoke(event);
            long[] warmMs = new long[warm];
            for (int i = 0; i < warm; i++) {
                warmMs[i] = lambda.invoke(event).millis();
            }
            java.util.regex.Matcher init = INIT_REPORT.matcher(lambda.log());
            long initMs = init.find() ? Math.round(Double.parseDouble(init.group(1))) : -1;
            return new Timing(function, initMs, first.millis(), median(warmMs), outcome(first.body()));
        }
    }

    /** What the invocation returned, in a few words: its status or verdict, or the error type. */
    private static String outcome(String body) {
        try {
            var node = JSON.readTree(body);
            for (String field : new String[] {"status", "verdict", "valid", "errorType", "ping"}) {
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
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }
}
