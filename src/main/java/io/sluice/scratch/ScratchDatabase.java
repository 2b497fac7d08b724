package io.sluice.scratch;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

import io.sluice.error.Echo;
import io.sluice.error.NotIsolated;
import io.sluice.error.ScratchReplayFailed;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.Request;
import io.sluice.event.WithScratch;
import io.sluice.isolation.ScratchBounds;
import io.sluice.isolation.ScratchServer;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywayInternals;
import io.sluice.sql.CallerErrors;

/**
 * A throw-away database for work that must not touch the real one (proving undo scripts, probing locks, rebuilding a
 * version, proving the application's queries, planning, building a schema file), on the server the deployment's
 * isolation gives ({@link io.sluice.isolation.Isolation}: an embedded PostgreSQL by default, a scratch server, or a
 * least-privilege role on the live server; never the live server with its credentials). Bounded: a watch ends every
 * session in it when it grows past its size bound or the work past its time bound (below the invocation's own), and
 * the work is then not provable, naming the bound. Created on open, dropped on close, whatever happened; one a killed
 * function left is dropped by the next run once its deadline (in its name) has passed.
 */
public final class ScratchDatabase implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ScratchDatabase.class);

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Scratch databases are named {@code sluice_scratch_<deadline, epoch seconds>_<random>}: when they are stale is in their name. */
    private static final String PREFIX = "sluice_scratch_";
    private static final Pattern NAME = Pattern.compile("sluice_scratch_(\\d{1,12})_[0-9a-f]+");
    /** How long after its deadline a scratch database is taken for left behind: its run is over by then. */
    static final Duration GRACE = Duration.ofMinutes(1);

    private final DatabaseConnector connector;
    private final ScratchServer server;
    private final Connection admin;
    private final String name;
    private final ScratchBounds.Watch watch;

    private ScratchDatabase(DatabaseConnector connector, ScratchServer server, Connection admin, String name, ScratchBounds.Watch watch) {
        this.connector = connector;
        this.server = server;
        this.admin = admin;
        this.name = name;
        this.watch = watch;
    }

    /**
     * A new scratch database for {@code request}, on the server its isolation gives.
     *
     * @param purpose what needs it, for errors: "proveReversible", "compatibility"
     * @throws NotIsolated when the deployment gives scratch work no isolation that fits
     */
    public static ScratchDatabase create(DatabaseConnector connector, Request request, String purpose) throws SQLException {
        DatabaseTarget scratch = request instanceof WithScratch named ? named.scratch() : null;
        ScratchServer server = connector.isolation().server(request.database(), scratch);
        ScratchBounds bounds = connector.scratchBounds();
        Instant deadline = bounds.deadline();
        String name = PREFIX + deadline.getEpochSecond() + "_" + HexFormat.of().formatHex(RANDOM.generateSeed(6));
        Connection admin = server.admin();
        try {
            dropStale(admin);
            try (Statement statement = admin.createStatement()) {
                statement.execute("CREATE DATABASE " + name + (server.owner() == null ? "" : " OWNER " + quote(server.owner()))
                        + (server.template() == null ? "" : " TEMPLATE " + quote(server.template())));
            } catch (SQLException e) {
                throw new NotIsolated(purpose + " needs a scratch database on " + server.description() + ", and its user may not create"
                        + " one (" + CallerErrors.state(e) + "): grant it CREATEDB" + (server.template() == null ? ""
                                : ", and check that the template " + server.template() + " exists and may be copied"), e);
            }
            bound(admin, name, bounds);
        } catch (SQLException | RuntimeException e) {
            admin.close();
            throw e;
        }
        ScratchBounds.Watch watch = bounds.watch(server, name, deadline);
        LOG.debugf("scratch database %s on %s for %s", name, server.description(), purpose);
        ScratchDatabase made = new ScratchDatabase(connector, server, admin, name, watch);
        if (connector.scratchSetup().isPresent()) {
            try {
                made.setUp(connector.scratchSetup().get(), purpose);
            } catch (SQLException | RuntimeException e) {
                made.close();
                throw e;
            }
        }
        return made;
    }

    /** Runs the deployment's setup script in this new database, statement by statement, as the work's own login. */
    private void setUp(DatabaseConnector.ScratchSetup setup, String purpose) throws SQLException {
        String sql = setup.sql().get();
        try (Connection connection = dataSource().getConnection(); Statement statement = connection.createStatement()) {
            for (io.sluice.sql.SqlStatement each : io.sluice.sql.SqlText.split(sql)) {
                try {
                    statement.execute(each.text());
                } catch (SQLException e) {
                    throw new ScratchReplayFailed(purpose + ": the scratch setup script " + Echo.value(setup.location()) + " failed at line "
                            + each.line() + " in a scratch database on " + where() + ": " + describe(e), e);
                }
            }
        }
        LOG.debugf("scratch database %s set up by %s", name, setup.location());
    }

    /**
     * Settings every session in the scratch database starts with: the server ends a backend whose client is gone
     * ({@code client_connection_check_interval}, from PostgreSQL 14), idle transactions end, statements end by the
     * deadline, temporary files stay within the size bound (where this user may say so).
     */
    private static void bound(Connection admin, String name, ScratchBounds bounds) throws SQLException {
        List<String> settings = new ArrayList<>(List.of("statement_timeout = '" + bounds.remaining().toMillis() + "ms'",
                "idle_in_transaction_session_timeout = '60s'"));
        try (Statement statement = admin.createStatement(); ResultSet rs = statement.executeQuery(
                "SELECT current_setting('server_version_num')::int >= 140000")) {
            rs.next();
            if (rs.getBoolean(1)) {
                settings.add("client_connection_check_interval = '1s'");
            }
        }
        try (Statement statement = admin.createStatement()) {
            for (String setting : settings) {
                statement.execute("ALTER DATABASE " + name + " SET " + setting);
            }
            try {
                statement.execute("ALTER DATABASE " + name + " SET temp_file_limit = '" + bounds.maxSize() + "'");
            } catch (SQLException e) {
                // Not this user's to set (a scratch server's master user): the watch bounds the database's size still.
                LOG.debugf("temp_file_limit on %s not set: %s", name, CallerErrors.state(e));
            }
        }
    }

    /** Drops the scratch databases killed runs left behind, recognised by name and deadline; one it may not drop stays. */
    private static void dropStale(Connection admin) throws SQLException {
        List<String> stale = new ArrayList<>();
        try (Statement statement = admin.createStatement();
                ResultSet rs = statement.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'sluice\\_scratch\\_%'")) {
            while (rs.next()) {
                Matcher matcher = NAME.matcher(rs.getString(1));
                if (matcher.matches() && Instant.ofEpochSecond(Long.parseLong(matcher.group(1))).plus(GRACE).isBefore(Instant.now())) {
                    stale.add(rs.getString(1));
                }
            }
        }
        for (String name : stale) {
            try {
                drop(admin, name);
                LOG.infof("dropped scratch database %s, left by a run that did not finish", name);
            } catch (SQLException e) {
                LOG.warnf("could not drop the stale scratch database %s: %s", name, CallerErrors.state(e));
            }
        }
    }

    /** The login the work uses in this database (never the live database's). */
    public DatabaseTarget target() {
        return server.worker(name);
    }

    /** Connections for the work in it: as {@link #target()}, with no named server-side prepared statement. */
    public DataSource dataSource() {
        return connector.callerTextDataSource(target(), Duration.ZERO);
    }

    public String name() {
        return name;
    }

    /** Where it is, for notes: "the embedded PostgreSQL 17.11". */
    public String where() {
        return server.description();
    }

    /** Which bound the work went past, said for a person; empty while within them. */
    public Optional<String> exceeded() {
        return watch.exceeded();
    }

    /**
     * Why the work failed, for a caller: the bound it went past, else the script and line Flyway names with the
     * SQLSTATE and the server's primary message ({@code function util.touch() does not exist}), else the SQLSTATE.
     * Never the server's DETAIL or the statement (they may quote data, or another session's statement).
     */
    public String failure(Throwable e) {
        Optional<String> bound = exceeded();
        if (bound.isPresent()) {
            return bound.get();
        }
        return describe(e);
    }

    /** {@link #failure} without a bound: the script, line and SQLSTATE of a failure in a scratch database. */
    public static String describe(Throwable e) {
        Optional<FlywayInternals.ScriptFailure> script = FlywayInternals.scriptFailure(e);
        if (script.isPresent() && script.get().sqlState() != null) {
            FlywayInternals.ScriptFailure failed = script.get();
            return Echo.value(failed.script()) + (failed.line() > 0 ? " line " + failed.line() : "") + ": SQLSTATE " + failed.sqlState()
                    + io.sluice.sql.SqlStates.name(failed.sqlState()) + primaryMessage(e).map(message -> ": " + message).orElse("")
                    + hint(failed.sqlState());
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return CallerErrors.state(sql) + primaryMessage(e).map(message -> ": " + message).orElse("") + hint(sql.getSQLState());
            }
        }
        return e.getClass().getSimpleName();
    }

    /** The server's primary message of the first PostgreSQL error in {@code e}'s causes (no DETAIL, no statement), bounded. */
    private static Optional<String> primaryMessage(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof org.postgresql.util.PSQLException sql && sql.getServerErrorMessage() != null
                    && sql.getServerErrorMessage().getMessage() != null) {
                return Optional.of(Echo.value(sql.getServerErrorMessage().getMessage()));
            }
        }
        return Optional.empty();
    }

    /**
     * The typed error of a replay that failed: what was being rebuilt ({@code replay}), up to which version, the script,
     * line, SQLSTATE and the server's message, and how a deployment gives the scratch database what the scripts need from
     * outside the managed schema.
     */
    public ScratchReplayFailed replayFailed(String replay, String version, Throwable e) {
        return new ScratchReplayFailed(replayFailure(replay, version, e), e);
    }

    /** The message of {@link #replayFailed}, for a note where the work goes on ("not provable: ..."). */
    public String replayFailure(String replay, String version, Throwable e) {
        Optional<String> bound = exceeded();
        if (bound.isPresent()) {
            return replay + ": the scripts up to version " + version + " went past a bound of the scratch database on " + where() + ": "
                    + bound.get();
        }
        return replay + ": the scripts up to version " + version + " cannot be applied in a scratch database on " + where() + ": "
                + describe(e) + ". The scratch database holds only what the scripts make: what they need from outside the managed"
                + " schema (another schema, a function, a role, an extension) goes in a setup script (sluice.scratch.setup-script,"
                + " a file under sluice.files.roots, run in every scratch database before the scripts) or in the scratch template"
                + " (sluice.scratch.template, with sluice.scratch.isolation=server)";
    }

    /** What a missing extension, or one a database owner may not create, asks of the deployment. */
    private static String hint(String sqlState) {
        return switch (sqlState) {
            case "58P01", "0A000" -> " (if it is an extension: the isolation's server does not have it; a scratch server of the live"
                    + " engine does: sluice.scratch.isolation=server)";
            default -> "";
        };
    }

    @Override
    public void close() throws SQLException {
        try {
            watch.stop();
            drop(admin, name);
        } finally {
            try {
                server.afterUse(admin);
            } finally {
                admin.close();
            }
        }
    }

    /**
     * Drops scratch database {@code name}, ending the sessions still in it. Where the forced drop may not end a
     * process (an autovacuum worker, for a role that is no superuser: SQLSTATE 42501), a plain drop waits for it.
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

    /** The sessions in {@code database}: for the watch, and for tests. */
    static int sessions(Connection admin, String database) throws SQLException {
        try (PreparedStatement statement = admin.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE datname = ?")) {
            statement.setString(1, database);
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
