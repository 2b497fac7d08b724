package io.sluice.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded PostgreSQL lives as long as the process that started it, and no longer: it stays up while that process
 * runs (a shell gives a background command /dev/null for its stdin, and a watcher reading that ended the server as it
 * started, now and then), and it ends when that process is killed with no chance to clean up, as Lambda may kill a
 * function's runtime.
 */
class EmbeddedServerLifetimeTest {

    /** Started in a process of its own by the test: starts the embedded server, prints its port, waits to be killed. */
    public static void main(String[] args) throws Exception {
        EmbeddedServer server = EmbeddedServer.of(17, new EmbeddedServer.Settings(Path.of(args[0]), List.of(), "64MB"));
        System.out.println("port " + server.worker("postgres").url().ports().get(0));
        System.out.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(5));
    }

    @Test
    void theServerStaysUpWhileItsProcessRuns_andEndsWhenThatProcessIsKilled(@TempDir Path directory) throws Exception {
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), EmbeddedServerLifetimeTest.class.getName(),
                directory.resolve("sluice-postgres").toString()).redirectErrorStream(true).start();
        int port;
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null && !line.startsWith("port ")) {
                // the holder's log lines
            }
            assertThat(line).as("the holder started a server").isNotNull();
            port = Integer.parseInt(line.substring("port ".length()).trim());
            Thread.sleep(3000);
            assertThat(listening(port)).as("still up 3 s after it started").isTrue();
        } finally {
            holder.destroyForcibly();
            holder.waitFor(10, TimeUnit.SECONDS);
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (listening(port) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(listening(port)).as("gone once the process that started it was killed").isFalse();
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (java.io.IOException refused) {
            return false;
        }
    }
}
