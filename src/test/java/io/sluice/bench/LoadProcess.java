package io.sluice.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The application beside a backfill, in a JVM of its own: {@code clients} sessions, each running a short read-write
 * transaction on a random row (read it, then mark it) every {@code pace} ms, and timing each. Commands on stdin:
 * {@code start TABLE} resets the samples and turns to that table, {@code stop} prints
 * {@code STATS count p50 p99 max} (ms) for the samples since {@code start}, {@code quit} ends. Arguments: JDBC URL,
 * user, password, rows, clients, pace in ms.
 */
public final class LoadProcess {

    private static final List<Double> SAMPLES = Collections.synchronizedList(new ArrayList<>());
    private static volatile String table;

    private LoadProcess() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        long rows = Long.parseLong(args[3]);
        int clients = Integer.parseInt(args[4]);
        long paceMs = Long.parseLong(args[5]);
        AtomicBoolean running = new AtomicBoolean(true);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            Thread client = new Thread(() -> run(url, user, password, rows, paceMs, running), "client-" + i);
            client.setDaemon(true);
            client.start();
            threads.add(client);
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.startsWith("start ")) {
                table = line.substring("start ".length()).trim();
                SAMPLES.clear();
            } else if (line.equals("stop")) {
                String current = table;
                table = null;
                List<Double> copy;
                synchronized (SAMPLES) {
                    copy = new ArrayList<>(SAMPLES);
                }
                Collections.sort(copy);
                System.out.printf("STATS %s %d %.1f %.1f %.1f%n", current, copy.size(), percentile(copy, 0.50), percentile(copy, 0.99),
                        copy.isEmpty() ? 0.0 : copy.get(copy.size() - 1));
                System.out.flush();
            } else if (line.equals("quit")) {
                break;
            }
        }
        running.set(false);
        for (Thread thread : threads) {
            thread.join(5_000);
        }
    }

    private static void run(String url, String user, String password, long rows, long paceMs, AtomicBoolean running) {
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            connection.setAutoCommit(false);
            String prepared = null;
            PreparedStatement read = null;
            PreparedStatement write = null;
            while (running.get()) {
                String current = table;
                if (current == null) {
                    Thread.sleep(20);
                    continue;
                }
                if (!current.equals(prepared)) {
                    read = connection.prepareStatement("SELECT status, total FROM " + current + " WHERE id = ?");
                    write = connection.prepareStatement("UPDATE " + current + " SET note = 'seen' WHERE id = ?");
                    prepared = current;
                }
                long id = ThreadLocalRandom.current().nextLong(1, rows + 1);
                long started = System.nanoTime();
                read.setLong(1, id);
                try (ResultSet rs = read.executeQuery()) {
                    rs.next();
                }
                write.setLong(1, id);
                write.executeUpdate();
                connection.commit();
                double ms = (System.nanoTime() - started) / 1e6;
                if (current.equals(table)) {
                    SAMPLES.add(ms);
                }
                Thread.sleep(paceMs);
            }
        } catch (Exception e) {
            System.out.println("LOAD FAILED " + e);
            System.out.flush();
        }
    }

    private static double percentile(List<Double> sorted, double p) {
        return sorted.isEmpty() ? 0.0 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
    }
}
