package io.sluice.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Installing and starting the Python AWS emulators the adapter tests run against (moto, LocalStack). */
final class Emulators {

    private Emulators() {
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
