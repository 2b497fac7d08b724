package io.sluice.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

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
    private static final String RIE_MODULE = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie";
    private static final String RIE_VERSION = "v0.0.0-20261030222936-bef5c4ba774d";
    private static final Path TOOLS = Path.of("target", "ci-tools");
    private static final String HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
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
        Path rie = rie();
        Path unpacked = unzip(zip, TOOLS.resolve("function-" + (nativeMode ? "native" : "jvm")));
        long unpackedBytes;
        try (var files = Files.walk(unpacked)) {
            unpackedBytes = files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
        System.out.printf("Cold start under aws-lambda-rie (%s), %s artifact: function.zip %.1f MB, unpacked %.1f MB%n", RIE_VERSION,
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
            List<String> command = nativeMode ? List.of(unpacked.resolve("bootstrap").toString()) : javaRuntime(unpacked, HANDLER);
            Timing timing = measure(rie, command, function.getKey(), event.toString(), warm);
            timings.add(timing);
            System.out.printf("%-14s %10d %12d %14d  %s%n", timing.function(), timing.initMs(), timing.firstMs(), timing.warmMedianMs(),
                    timing.outcome());
        }
        if (!nativeMode) {
            Path echo = Path.of(EchoHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> command = new ArrayList<>(javaRuntime(unpacked, EchoHandler.class.getName() + "::handleRequest"));
            int cp = command.indexOf("-cp") + 1;
            command.set(cp, echo + java.io.File.pathSeparator + command.get(cp));
            Timing floor = measure(rie, command, "echo", "{\"ping\": 1}", warm);
            System.out.printf("%-14s %10d %12d %14d  %s%n", "floor (echo)", floor.initMs(), floor.firstMs(), floor.warmMedianMs(),
                    floor.outcome());
            System.out.printf("Sluice's first invocation is %.1fx the floor's (median over functions); warm %.1fx%n",
                    median(timings.stream().mapToLong(Timing::firstMs).toArray()) / (double) Math.max(1, floor.firstMs()),
                    median(timings.stream().mapToLong(Timing::warmMedianMs).toArray()) / (double) Math.max(1, floor.warmMedianMs()));
        }
    }

    /** The java command line AWS's java managed runtime uses: the runtime interface client loading the handler. */
    private static List<String> javaRuntime(Path unpacked, String handler) throws IOException {
        // Lambda's layout: the classes at the root of the zip (/var/task), the libraries in lib/.
        List<String> classpath = new ArrayList<>(List.of(unpacked.toString(), unpacked.resolve("lib") + "/*"));
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith("aws-lambda-java-runtime-interface-client") || name.startsWith("aws-lambda-java-serialization")
                    || name.startsWith("utils-lite")) {
                classpath.add(entry);
            }
        }
        // The JIT setting AWS's Java managed runtimes start with.
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+TieredCompilation",
                "-XX:TieredStopAtLevel=1", "-cp", String.join(java.io.File.pathSeparator, classpath),
                "com.amazonaws.services.lambda.runtime.api.client.AWSLambda", handler);
    }

    private static Timing measure(Path rie, List<String> runtime, String function, String event, int warm) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>(List.of(rie.toString(), "--runtime-interface-emulator-address", "127.0.0.1:" + port));
        command.addAll(runtime);
        Path log = TOOLS.resolve("rie-" + function + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("QUARKUS_LAMBDA_HANDLER", function);
        builder.environment().put("SLUICE_AWS_ENABLED", "false");
        builder.environment().put("AWS_LAMBDA_FUNCTION_NAME", "sluice-" + function);
        builder.environment().put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024");
        builder.environment().put("AWS_LAMBDA_FUNCTION_TIMEOUT", "900");
        builder.environment().put("AWS_REGION", "us-east-1");
        Process process = builder.start();
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            URI uri = URI.create("http://127.0.0.1:" + port + "/2015-03-31/functions/function/invocations");
            awaitListening(port, process);
            long started = System.nanoTime();
            HttpResponse<String> first = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
            long firstMs = (System.nanoTime() - started) / 1_000_000;
            long[] warmMs = new long[warm];
            for (int i = 0; i < warm; i++) {
                long t = System.nanoTime();
                client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                        HttpResponse.BodyHandlers.ofString());
                warmMs[i] = (System.nanoTime() - t) / 1_000_000;
            }
            java.util.regex.Matcher init = INIT_REPORT.matcher(Files.readString(log));
            long initMs = init.find() ? Math.round(Double.parseDouble(init.group(1))) : -1;
            return new Timing(function, initMs, firstMs, median(warmMs), outcome(first.body()));
        } finally {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
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

    private static void awaitListening(int port, Process process) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("aws-lambda-rie exited: see " + TOOLS);
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("aws-lambda-rie did not listen within 2 s");
    }

    private static long median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted.length == 0 ? 0 : sorted[sorted.length / 2];
    }

    /** aws-lambda-rie, built from its Go module into target/ci-tools/go (about 25 s the first time). */
    private static Path rie() throws IOException, InterruptedException {
        Path bin = TOOLS.resolve("go").resolve("bin").toAbsolutePath();
        Path rie = bin.resolve("aws-lambda-rie");
        if (!Files.isExecutable(rie)) {
            ProcessBuilder install = new ProcessBuilder("go", "install", RIE_MODULE + "@" + RIE_VERSION).inheritIO();
            install.environment().put("GOBIN", bin.toString());
            if (install.start().waitFor() != 0 || !Files.isExecutable(rie)) {
                throw new IllegalStateException("go install " + RIE_MODULE + "@" + RIE_VERSION + " failed (Go and its module proxy needed)");
            }
        }
        return rie;
    }

    private static Path unzip(Path zip, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            try (var old = Files.walk(target)) {
                old.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
        Files.createDirectories(target);
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside its folder: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(in, out);
                }
            }
        }
        Path bootstrap = target.resolve("bootstrap");
        if (Files.exists(bootstrap)) {
            bootstrap.toFile().setExecutable(true);
        }
        return target;
    }
}
