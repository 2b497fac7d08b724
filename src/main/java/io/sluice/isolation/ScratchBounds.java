package io.sluice.isolation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

/**
 * The bounds of scratch work: how large a scratch database may grow ({@code sluice.scratch.max-size}, also its
 * {@code temp_file_limit}) and how long the work may take ({@code sluice.scratch.max-duration}, and always
 * {@link #RESERVE} less than the invocation has left). A {@link Watch} holds each scratch database to them from a
 * session of its own: past a bound, the database takes no new session and every one in it is ended; the work fails
 * there and is reported not provable, naming the bound.
 */
public final class ScratchBounds {

    private static final Logger LOG = Logger.getLogger(ScratchBounds.class);
    private static final Pattern SIZE = Pattern.compile("(\\d{1,9})(kB|MB|GB|TB)");
    /** Time kept for the function to report and drop what it made after a bound stopped the work. */
    static final Duration RESERVE = Duration.ofSeconds(15);
    private static final Duration LEAST = Duration.ofSeconds(5);
    private static final long POLL_MS = 200;

    private final String maxSize;
    private final long maxBytes;
    private final Duration maxDuration;

    public ScratchBounds(String maxSize, Duration maxDuration) {
        Matcher size = SIZE.matcher(maxSize);
        if (!size.matches()) {
            throw new IllegalArgumentException("sluice.scratch.max-size must be a size as PostgreSQL writes one (256MB, 2GB), not "
                    + maxSize);
        }
        this.maxSize = maxSize;
        long unit = switch (size.group(2)) {
            case "kB" -> 1L << 10;
            case "MB" -> 1L << 20;
            case "GB" -> 1L << 30;
            default -> 1L << 40;
        };
        this.maxBytes = Long.parseLong(size.group(1)) * unit;
        this.maxDuration = maxDuration;
    }

    /** {@code 256MB}, as PostgreSQL reads it. */
    public String maxSize() {
        return maxSize;
    }

    /** When the work must be over: its own bound, or the invocation's deadline less the reserve, whichever comes first. */
    public Instant deadline() {
        Instant own = Instant.now().plus(maxDuration);
        Instant invocation = InvocationDeadline.get().map(end -> end.minus(RESERVE)).orElse(own);
        Instant deadline = own.isBefore(invocation) ? own : invocation;
        Instant least = Instant.now().plus(LEAST);
        return deadline.isBefore(least) ? least : deadline;
    }

    /** How long from now to {@link #deadline()}. */
    public Duration remaining() {
        return Duration.between(Instant.now(), deadline());
    }

    /** Starts watching {@code database} on {@code server} until {@link Watch#stop()}. */
    public Watch watch(ScratchServer server, String database, Instant deadline) {
        Watch watch = new Watch(server, database, deadline);
        watch.thread.start();
        return watch;
    }

    /** One scratch database held to the bounds. */
    public final class Watch {

        private final ScratchServer server;
        private final String database;
        private final Instant deadline;
        private final Duration allowed;
        private final Thread thread;
        private volatile boolean stopped;
        private volatile String exceeded;

        private Watch(ScratchServer server, String database, Instant deadline) {
            this.server = server;
            this.database = database;
            this.deadline = deadline;
            this.allowed = Duration.between(Instant.now(), deadline);
            this.thread = new Thread(this::run, "sluice-scratch-watch-" + database);
            thread.setDaemon(true);
        }

        /** The bound the work went past, for a person; empty while it keeps within them. */
        public Optional<String> exceeded() {
            return Optional.ofNullable(exceeded);
        }

        /** Stops watching (before the database is dropped). */
        public void stop() {
            stopped = true;
            thread.interrupt();
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void run() {
            try (Connection connection = server.admin()) {
                while (!stopped) {
                    if (exceeded == null) {
                        long size = size(connection);
                        if (size > maxBytes) {
                            exceeded = "it went past the scratch database's size bound (" + maxSize + ": sluice.scratch.max-size; it had"
                                    + " reached " + size / (1 << 20) + " MB)";
                        } else if (Instant.now().isAfter(deadline)) {
                            exceeded = "it went past the scratch work's time bound (" + Math.max(1, allowed.toSeconds())
                                    + " s: sluice.scratch.max-duration " + maxDuration.toSeconds() + " s, and " + RESERVE.toSeconds()
                                    + " s less than the invocation had left)";
                        }
                        if (exceeded != null) {
                            LOG.warnf("scratch database %s: %s; its sessions are ended", database, exceeded);
                            close(connection);
                        }
                    }
                    if (exceeded != null) {
                        end(connection);
                    }
                    Thread.sleep(POLL_MS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (SQLException | RuntimeException e) {
                if (!stopped) {
                    LOG.warnf("the watch of scratch database %s stopped: %s", database, e.getClass().getSimpleName());
                }
            }
        }

        private long size(Connection connection) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT pg_database_size(oid) FROM pg_database WHERE datname = ?")) {
                statement.setString(1, database);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            }
        }

        /** No new session may start in it. */
        private void close(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER DATABASE " + database + " CONNECTION LIMIT 0");
            }
        }

        /** Every session in it but the watch's own ends. */
        private void end(Connection connection) throws SQLException {
            try (PreparedStatement statement = connection.prepareStatement("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
                statement.setString(1, database);
                statement.executeQuery().close();
            }
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "ScratchBounds[%s, %d s]", maxSize, maxDuration.toSeconds());
    }
}
