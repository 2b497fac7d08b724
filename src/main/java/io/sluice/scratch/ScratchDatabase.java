package io.sluice.scratch;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.event.DatabaseTarget;
import io.sluice.migration.DatabaseConnector;

/**
 * A throw-away database on the target's server, for work that must not touch the real one (proving undo scripts,
 * probing locks). Created on open, dropped (even with sessions left) on close.
 */
public final class ScratchDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ScratchDatabase.class);

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Scratch databases are named {@code sluice_scratch_<epoch seconds>_<random>}: their age is in their name. */
    private static final String PREFIX = "sluice_scratch_";
    private static final Pattern NAME = Pattern.compile("sluice_scratch_(\\d{1,12})_[0-9a-f]+");
    /** Older than any run can be (a Lambda lives 15 minutes): left by a run that was killed. */
    static final Duration STALE = Duration.ofHours(1);

    private final Connection admin;
    private final String name;
    private final DatabaseTarget target;

    private ScratchDatabase(Connection admin, String name, DatabaseTarget target) {
        this.admin = admin;
        this.name = name;
        this.target = target;
    }

    static ScratchDatabase create(DatabaseConnector connector, DatabaseTarget real, String purpose) throws SQLException {
        String name = PREFIX + Instant.now().getEpochSecond() + "_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        Connection admin = connector.open(real, Duration.ofMinutes(2));
        dropStale(admin);
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            admin.close();
            throw new InvalidRequest(purpose + " needs to create a scratch database, and user '" + real.username() + "' may not: "
                    + e.getMessage() + ". Grant CREATEDB, or run without " + purpose + ".", e);
        }
        return new ScratchDatabase(admin, name, new DatabaseTarget(real.url().withDatabase(name).text(), real.username(), real.password()));
    }

    /**
     * Drops the scratch databases that killed or timed-out runs left behind, recognised by name and age. One it may
     * not drop (another role's) is left, and said in the log.
     */
    private static void dropStale(Connection admin) throws SQLException {
        List<String> stale = new ArrayList<>();
        try (Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'sluice\\_scratch\\_%'")) {
            while (rs.next()) {
                Matcher matcher = NAME.matcher(rs.getString(1));
                if (matcher.matches() && Instant.ofEpochSecond(Long.parseLong(matcher.group(1))).isBefore(Instant.now().minus(STALE))) {
                    stale.add(rs.getString(1));
                }
            }
        }
        for (String name : stale) {
            try {
                drop(admin, name);
                LOG.infof("dropped scratch database %s, left by a run that did not finish", name);
            } catch (SQLException e) {
                LOG.warnf("could not drop the stale scratch database %s: %s", name, Echo.value(e.getMessage()));
            }
        }
    }

    DatabaseTarget target() {
        return target;
    }

    String name() {
        return name;
    }

    @Override
    public void close() throws SQLException {
        try {
            drop(admin, name);
        } finally {
            admin.close();
        }
    }

    /**
     * Drops scratch database {@code name}, ending the sessions still in it. An autovacuum worker there makes the forced
     * drop fail for a role that is not a superuser (SQLSTATE 42501: it may not end the worker's process); a plain drop
     * then asks the worker to stop and waits for it, as PostgreSQL does for autovacuum.
     */
    private static void drop(Connection admin, String name) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            if (!"42501".equals(e.getSQLState())) {
                throw e;
            }
            try (Statement statement = admin.createStatement()) {
                statement.execute("DROP DATABASE IF EXISTS " + name);
            }
        }
    }
}
