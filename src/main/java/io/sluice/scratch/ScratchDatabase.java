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
import io.sluice.event.Request;
import io.sluice.event.WithScratch;
import io.sluice.migration.DatabaseConnector;

/**
 * A throw-away database for work that must not touch the real one (proving undo scripts, probing locks, rebuilding a
 * version, proving the application's queries), on the request's scratch server or else the live database's server.
 * Created on open, dropped (even with sessions left) on close.
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

    /**
     * A new scratch database for {@code request}: on its scratch server ({@link WithScratch#scratchServer}), which must
     * run the live database's major version, else on the live database's server.
     *
     * @param purpose what needs it, for errors: "proveReversible", "compatibility"
     */
    public static ScratchDatabase create(DatabaseConnector connector, Request request, String purpose) throws SQLException {
        DatabaseTarget live = request.database();
        DatabaseTarget server = request instanceof WithScratch scratch ? scratch.scratchServer() : live;
        String name = PREFIX + Instant.now().getEpochSecond() + "_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        Connection admin = connector.open(server, Duration.ofMinutes(2));
        try {
            if (!server.equals(live)) {
                sameMajorVersion(connector, live, admin, server);
            }
            dropStale(admin);
        } catch (SQLException | RuntimeException e) {
            admin.close();
            throw e;
        }
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            admin.close();
            throw new InvalidRequest(purpose + " needs to create a scratch database, and user '" + server.username() + "' may not: "
                    + e.getMessage() + ". Grant CREATEDB, or run without " + purpose + ".", e);
        }
        return new ScratchDatabase(admin, name, new DatabaseTarget(server.url().withDatabase(name).text(), server.username(),
                server.password()));
    }

    /**
     * A scratch server of another major version would build another schema (catalogs, defaults, what a script may
     * even say) and prove nothing about the live one: refused.
     */
    private static void sameMajorVersion(DatabaseConnector connector, DatabaseTarget live, Connection scratch, DatabaseTarget server)
            throws SQLException {
        int scratchMajor = major(scratch);
        int liveMajor;
        try (Connection connection = connector.open(live, Duration.ofMinutes(1))) {
            liveMajor = major(connection);
        }
        if (scratchMajor != liveMajor) {
            throw new InvalidRequest("field 'scratch': the scratch server " + server.displayUrl() + " runs PostgreSQL " + scratchMajor
                    + " and the live database PostgreSQL " + liveMajor + "; scratch work must run on the live database's major"
                    + " version to prove anything about it");
        }
    }

    private static int major(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('server_version_num')::int / 10000")) {
            rs.next();
            return rs.getInt(1);
        }
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

    public DatabaseTarget target() {
        return target;
    }

    public String name() {
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
