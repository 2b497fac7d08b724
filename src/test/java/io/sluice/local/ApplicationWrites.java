package io.sluice.local;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.sluice.testing.BlueGreenPair;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;

/**
 * The application beside an upgrade: one order inserted every 50 ms through the database's URL (whichever server is
 * writable), each with a note of its own, a new connection after a failure, as a pooled application reconnects.
 */
public final class ApplicationWrites {

    private final Thread thread;
    private final AtomicInteger written = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicLong firstRefusedAt = new AtomicLong();
    private final AtomicLong lastRefusedAt = new AtomicLong();
    private volatile boolean running = true;

    private ApplicationWrites(String url, String user, String password) {
        thread = new Thread(() -> {
            Connection connection = null;
            while (running) {
                try {
                    if (connection == null) {
                        connection = DriverManager.getConnection(url, user, password);
                    }
                    try (PreparedStatement insert = connection.prepareStatement("INSERT INTO orders (customer_id, status, total)"
                            + " VALUES (1, 'app-write-' || ?, 1)")) {
                        insert.setInt(1, written.get() + 1);
                        insert.executeUpdate();
                        written.incrementAndGet();
                    }
                } catch (SQLException e) {
                    refused.incrementAndGet();
                    long now = System.nanoTime();
                    firstRefusedAt.compareAndSet(0, now);
                    lastRefusedAt.set(now);
                    close(connection);
                    connection = null;
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    break;
                }
            }
            close(connection);
        }, "application-writes");
        thread.setDaemon(true);
    }

    public static ApplicationWrites start(String url, String user, String password) {
        ApplicationWrites writes = new ApplicationWrites(url, user, password);
        writes.thread.start();
        return writes;
    }

    public void stop() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }

    public int written() {
        return written.get();
    }

    /** Rows the application wrote, and where they are now. */
    public String report(BlueGreenPair pair, TestDatabase blue) throws SQLException {
        try (Connection primary = DriverManager.getConnection(pair.databaseUrl(), blue.user(), PostgresServer.APP_PASSWORD);
                var statement = primary.createStatement();
                var rows = statement.executeQuery("SELECT current_setting('server_version'), count(*) FROM orders"
                        + " WHERE status LIKE 'app-write-%'")) {
            rows.next();
            return String.format("Application: %d order(s) written through %s, %d write(s) refused%s; the primary is PostgreSQL %s and"
                    + " holds %d of them", written.get(), pair.databaseUrl(), refused.get(), refused.get() == 0 ? ""
                    : String.format(" over %d ms (the switchover: blue read-only, green not yet writable)",
                            (lastRefusedAt.get() - firstRefusedAt.get()) / 1_000_000), rows.getString(1), rows.getLong(2));
        }
    }

    private static void close(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // Gone already.
            }
        }
    }
}
