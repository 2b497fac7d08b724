package io.sluice.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * {@code function.zip} run as Lambda runs it: unpacked (the task root), started by AWS's Runtime Interface Emulator
 * ({@code aws-lambda-rie}, built from its Go module into {@code target/ci-tools/go}) with the runtime the zip is for:
 * the native {@code bootstrap} (provided.al2023) when it has one, else AWS's Java runtime interface client loading
 * Quarkus' stream handler, as the java managed runtime does, with its JIT setting. Each started function is one
 * container: its first invocation is cold, the next ones warm.
 */
public final class LambdaRuntime implements AutoCloseable {

    public static final String RIE_MODULE = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie";
    public static final String RIE_VERSION = "v0.0.0-20261030222936-bef5c4ba774d";
    /** What AWS's java runtime calls, handing the event to the handler QUARKUS_LAMBDA_HANDLER names. */
    public static final String QUARKUS_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest";
    private static final Path TOOLS = Path.of("target", "ci-tools");

    /** What one invocation returned: the function's result, or Lambda's error document; and how long it took. */
    public record Invocation(String body, long micros) {

        public long millis() {
            return micros / 1000;
        }
    }

    private final Process process;
    private final URI invocations;
    private final Path log;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private LambdaRuntime(Process process, URI invocations, Path log) {
        this.process = process;
        this.invocations = invocations;
        this.log = log;
    }

    /**
     * Starts the function of {@code unpacked} under the emulator with exactly {@code environment} besides the
     * emulator's own (a test adds nothing else).
     *
     * @param handler the Java handler (ignored for a native bootstrap)
     */
    public static LambdaRuntime start(Path unpacked, String handler, Map<String, String> environment, String name)
            throws IOException, InterruptedException {
        return start(Files.exists(unpacked.resolve("bootstrap")) ? List.of(unpacked.resolve("bootstrap").toString())
                : javaRuntime(unpacked, handler), environment, name);
    }

    /** Starts {@code runtime} (a bootstrap, or a java command line) under the emulator with {@code environment}. */
    public static LambdaRuntime start(List<String> runtime, Map<String, String> environment, String name)
            throws IOException, InterruptedException {
        int port = freePort();
        // Its Runtime API listens on a port of its own too (9001 by default): two functions at once need two.
        List<String> command = new ArrayList<>(List.of(rie().toString(), "--runtime-interface-emulator-address", "127.0.0.1:" + port,
                "--runtime-api-address", "127.0.0.1:" + freePort()));
        command.addAll(runtime);
        Path log = TOOLS.resolve("rie-" + name + ".log");
        Files.createDirectories(TOOLS);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(environment);
        builder.environment().putIfAbsent("AWS_LAMBDA_FUNCTION_NAME", name);
        builder.environment().putIfAbsent("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
        builder.environment().putIfAbsent("AWS_LAMBDA_FUNCTION_TIMEOUT", "900");
        Process process = builder.start();
        awaitListening(port, process, log);
        return new LambdaRuntime(process, URI.create("http://127.0.0.1:" + port + "/2015-03-31/functions/function/invocations"), log);
    }

    /** The emulator's Invoke URL. */
    public URI invocations() {
        return invocations;
    }

    /** Invokes the function with {@code event}, as Lambda's Invoke does (RequestResponse). */
    public Invocation invoke(String event) throws IOException, InterruptedException {
        long started = System.nanoTime();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(invocations).timeout(Duration.ofMinutes(2))
                .POST(HttpRequest.BodyPublishers.ofString(event)).build(), HttpResponse.BodyHandlers.ofString());
        return new Invocation(response.body(), (System.nanoTime() - started) / 1_000);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The processes the emulator started: the runtime (a java process, or a native bootstrap). */
    public java.util.stream.Stream<ProcessHandle> runtimeProcesses() {
        return process.descendants();
    }

    /** What the emulator and the function wrote (the function's log lines among them). */
    public String log() throws IOException {
        return Files.readString(log);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** The java command line AWS's java managed runtime uses: the runtime interface client loading the handler. */
    public static List<String> javaRuntime(Path unpacked, String handler) {
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

    /** aws-lambda-rie, built from its Go module into target/ci-tools/go (about 25 s the first time). */
    public static synchronized Path rie() throws IOException, InterruptedException {
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

    /** {@code zip} unpacked into {@code target} (emptied first), the bootstrap executable. */
    public static Path unzip(Path zip, Path target) throws IOException {
        if (Files.isDirectory(target)) {
            try (var old = Files.walk(target)) {
                old.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
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
                    copy(in, out);
                }
            }
        }
        Path bootstrap = target.resolve("bootstrap");
        if (Files.exists(bootstrap)) {
            bootstrap.toFile().setExecutable(true);
        }
        return target;
    }

    private static void copy(InputStream in, Path out) throws IOException {
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void awaitListening(int port, Process process, Path log) throws InterruptedException {
        for (int i = 0; i < 250; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("aws-lambda-rie exited: see " + log);
                }
                Thread.sleep(20);
            }
        }
        throw new IllegalStateException("aws-lambda-rie did not listen within 5 s: see " + log);
    }
}
