package io.sluice.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/** Installing and starting the Python AWS emulators the adapter tests run against (moto, LocalStack). */
final class Emulators {

    private Emulators() {
    }

    /** How an emulator starts: its endpoint, or an exception saying why it cannot run here. */
    interface Start {
        String endpoint() throws IOException, InterruptedException;
    }

    /** An emulator started at most once per test JVM; the tests that need it are skipped, saying why, when it cannot. */
    static final class Once {

        private final String name;
        private final Start start;
        private String endpoint;
        private String unavailable;

        Once(String name, Start start) {
            this.name = name;
            this.start = start;
        }

        synchronized String endpoint() {
            if (endpoint == null && unavailable == null) {
                try {
                    endpoint = start.endpoint();
                } catch (IOException | InterruptedException | RuntimeException e) {
                    unavailable = e.getMessage();
                }
            }
            Assumptions.assumeTrue(unavailable == null, () -> name + " is not available: " + unavailable);
            return endpoint;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * Starts {@code command} with its output in {@code log}, and waits until {@code readyUrl} answers 200.
     *
     * @return the running process, stopped when the test JVM exits
     */
    static Process start(ProcessBuilder command, Path log, String readyUrl, int seconds) throws IOException, InterruptedException {
        Process process = command.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "emulator-stop"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            try {
                HttpURLConnection connection = (HttpURLConnection) URI.create(readyUrl).toURL().openConnection();
                if (connection.getResponseCode() == 200) {
                    return process;
                }
            } catch (IOException notYet) {
                // starting
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(command.command().get(0) + " exited: see " + log);
            }
            Thread.sleep(100);
        }
        process.destroy();
        throw new IllegalStateException(readyUrl + " did not answer within " + seconds + " s: see " + log);
    }

    static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed");
        }
    }
}
