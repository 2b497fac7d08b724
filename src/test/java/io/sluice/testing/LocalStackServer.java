package io.sluice.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * LocalStack's Python package in host mode (no Docker), for what moto cannot serve to SDK 2.57.8: CloudWatch, which
 * the SDK speaks in RPCv2 CBOR. It runs only on Python 3.13, found on the PATH or under pyenv; {@code .ci/run}
 * installs it into {@code target/ci-tools/localstack}, and it is installed the same way when the tests run alone.
 * Started once per test JVM on a free port with only the services asked for, stopped with it; where it cannot be had,
 * the tests that need it are skipped, saying why.
 */
public final class LocalStackServer {

    public static final String VERSION = "2026.3.0";
    /** The pins localstack-core needs to start in host mode (newer releases of these break its imports). */
    private static final String[] PINS = {"localstack-core[runtime]==" + VERSION, "cbor2<6", "pyopenssl<25", "cryptography<45",
            "joserfc<1.8", "service_identity"};
    private static final Path VENV = Path.of("target", "ci-tools", "localstack");

    private static final Emulators.Once SERVER = new Emulators.Once("LocalStack " + VERSION, LocalStackServer::start);

    private LocalStackServer() {
    }

    /** The endpoint of the running server; skips the calling test when LocalStack cannot be run here. */
    public static String endpoint() {
        return SERVER.endpoint();
    }

    private static String start() throws IOException, InterruptedException {
        Path python = VENV.resolve("bin").resolve("python");
        if (!Files.isExecutable(VENV.resolve("bin").resolve("localstack"))) {
            String python313 = python313().orElseThrow(() -> new IllegalStateException(
                    "it needs Python 3.13 (python3.13 on the PATH or under ~/.pyenv/versions)"));
            Emulators.run(python313, "-m", "venv", VENV.toString());
            String[] install = new String[PINS.length + 4];
            install[0] = VENV.resolve("bin").resolve("pip").toString();
            install[1] = "install";
            install[2] = "--quiet";
            install[3] = "--disable-pip-version-check";
            System.arraycopy(PINS, 0, install, 4, PINS.length);
            Emulators.run(install);
        }
        int port = Emulators.freePort();
        Path root = Files.createDirectories(VENV.resolve("state-" + port)).toAbsolutePath();
        ProcessBuilder command = new ProcessBuilder(python.toString(), "-m", "localstack.runtime.main");
        command.environment().put("OVERRIDE_IN_DOCKER", "0");
        command.environment().put("FILESYSTEM_ROOT", root.toString());
        command.environment().put("DISABLE_EVENTS", "1");
        command.environment().put("SKIP_SSL_CERT_DOWNLOAD", "1");
        command.environment().put("GATEWAY_LISTEN", "127.0.0.1:" + port);
        command.environment().put("SERVICES", "cloudwatch");
        String url = "http://127.0.0.1:" + port;
        Emulators.start(command, VENV.resolve("server-" + port + ".log"), url + "/_localstack/health", 90);
        return url;
    }

    /** A Python 3.13 interpreter: pyenv's, or one on the PATH (pyenv's shims excepted: they run the selected version). */
    private static Optional<String> python313() {
        Path pyenv = Path.of(System.getProperty("user.home"), ".pyenv", "versions");
        if (Files.isDirectory(pyenv)) {
            try (Stream<Path> versions = Files.list(pyenv)) {
                Optional<String> found = versions.filter(version -> version.getFileName().toString().startsWith("3.13"))
                        .map(version -> version.resolve("bin").resolve("python3.13")).filter(Files::isExecutable)
                        .max(Comparator.naturalOrder()).map(Path::toString);
                if (found.isPresent()) {
                    return found;
                }
            } catch (IOException e) {
                // look on the PATH
            }
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "python3.13");
            if (!dir.contains("shims") && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toString());
            }
        }
        return Optional.empty();
    }
}
