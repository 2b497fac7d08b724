package io.sluice.scratch;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import javax.sql.DataSource;

import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.FlywayException;
import org.jboss.logging.Logger;

import io.sluice.config.SluiceConfig;
import io.sluice.event.MeasuredLock;
import io.sluice.event.PlannedScript;
import io.sluice.event.TargetVersion;
import io.sluice.event.ValidateRequest;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.Script;
import io.sluice.migration.ScriptSet;
import io.sluice.migration.SessionSettings;
import io.sluice.migration.Transactionality;
import io.sluice.sql.CallerErrors;
import io.sluice.sql.SqlStatement;
import io.sluice.sql.SqlText;

/**
 * Measures the locks each pending statement really takes. In a scratch database at the current version, each
 * pending statement runs in a transaction of its own; before it commits, the probe reads the relation locks its
 * backend holds ({@code pg_locks}: exactly what this statement took, since the transaction holds nothing else)
 * and which relations got new storage ({@code relfilenode} changed: a rewrite). Committing in the scratch database
 * lets the next statement see its schema. Locks on relations the script itself created are left out: nobody else
 * can be waiting for them. Statements PostgreSQL refuses in a transaction are reported with their documented lock.
 */
public final class LockProbe {

    private static final Logger LOG = Logger.getLogger(LockProbe.class);
    private static final int EXCERPT = 120;
    private static final String USER_RELATIONS = """
            SELECT c.oid, format('%I.%I', n.nspname, c.relname), c.relfilenode FROM pg_class c
              JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE c.relkind IN ('r', 'p', 'm', 'i', 'S')
               AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_%'
            """;
    private static final String OWN_LOCKS = """
            SELECT l.relation, l.mode FROM pg_locks l
             WHERE l.pid = pg_backend_pid() AND l.locktype = 'relation' AND l.granted AND l.relation IS NOT NULL
            """;
    /** Locks of the statements PostgreSQL will not run in a transaction, from its documentation. */
    private static final Map<String, String> DOCUMENTED = Map.of(
            "CREATE INDEX CONCURRENTLY", "SHARE UPDATE EXCLUSIVE on the table",
            "CREATE UNIQUE INDEX CONCURRENTLY", "SHARE UPDATE EXCLUSIVE on the table",
            "DROP INDEX CONCURRENTLY", "SHARE UPDATE EXCLUSIVE on the table and the index",
            "REINDEX", "SHARE UPDATE EXCLUSIVE on the table (CONCURRENTLY)",
            "VACUUM", "SHARE UPDATE EXCLUSIVE on the table (ACCESS EXCLUSIVE and a rewrite for VACUUM FULL)");

    private final DatabaseConnector connector;
    private final SluiceConfig.Migrate settings;

    public LockProbe(DatabaseConnector connector, SluiceConfig.Migrate settings) {
        this.connector = connector;
        this.settings = settings;
    }

    public List<MeasuredLock> probe(ValidateRequest request, ScriptSet scripts, String current, List<PlannedScript> pending) {
        MigrationVersion upTo = pending.stream().filter(script -> script.version() != null)
                .map(script -> MigrationVersion.fromVersion(script.version())).max(MigrationVersion::compareTo)
                .orElse(current == null ? null : MigrationVersion.fromVersion(current));
        Optional<ScratchScripts.Refusal> refusal = ScratchScripts.refusal(scripts, upTo, false);
        if (refusal.isPresent()) {
            return List.of(new MeasuredLock(refusal.get().script(), refusal.get().line(), refusal.get().statement(), false, List.of(),
                    List.of(), refusal.get().message()));
        }
        try (ScratchDatabase scratch = ScratchDatabase.create(connector, request, "probeLocks")) {
            LOG.infof("probing the locks of %d pending script(s) in scratch database %s", pending.size(), scratch.name());
            SessionSettings session = SessionSettings.from(settings, null, null);
            DataSource dataSource = scratch.dataSource();
            if (current != null) {
                try {
                    FlywaySetup.create(dataSource, scripts, request.schema(), TargetVersion.parse(current), session).migrate();
                } catch (FlywayException e) {
                    return List.of(new MeasuredLock(pending.isEmpty() ? "" : pending.get(0).script(), 0, "", false, List.of(), List.of(), "not probed: "
                            + scratch.replayFailure("the lock probe's replay", current, e)));
                }
            }
            List<MeasuredLock> measured = new ArrayList<>();
            try (Connection connection = dataSource.getConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute(session.initSql());
                    statement.execute("SET search_path TO " + request.schema().quoted());
                }
                for (PlannedScript planned : pending) {
                    Script script = scripts.find(planned.script()).orElseThrow();
                    try {
                        if (probeScript(scratch, connection, script, measured)) {
                            break;
                        }
                    } catch (SQLException e) {
                        if (scratch.exceeded().isEmpty()) {
                            throw e;
                        }
                        measured.add(new MeasuredLock(script.path(), 0, "", false, List.of(), List.of(), "not probed further: "
                                + scratch.exceeded().get()));
                        break;
                    }
                }
            }
            return measured;
        } catch (SQLException e) {
            throw new IllegalStateException("the lock probe lost its scratch database: SQLSTATE " + e.getSQLState(), e);
        }
    }

    /** Probes one script; returns true when a statement failed (the probe cannot go on past it). */
    private boolean probeScript(ScratchDatabase scratch, Connection connection, Script script, List<MeasuredLock> out) throws SQLException {
        Map<Long, String> existing = relations(connection).names();
        for (SqlStatement statement : SqlText.split(script.content())) {
            if (Transactionality.needsAutocommit(statement) || statement.normalized().startsWith("COPY ")) {
                out.add(documented(script, statement));
                if (!statement.normalized().startsWith("COPY ")) {
                    try (Statement sql = connection.createStatement()) {
                        sql.execute(statement.text());
                    } catch (SQLException e) {
                        out.set(out.size() - 1, failed(scratch, script, statement, e));
                        return true;
                    }
                }
                continue;
            }
            Relations before = relations(connection);
            connection.setAutoCommit(false);
            try (Statement sql = connection.createStatement()) {
                sql.execute(statement.text());
                List<String> taken = List.copyOf(locks(connection, existing));
                Relations after = relations(connection);
                List<String> rewritten = new ArrayList<>();
                before.fileNodes().forEach((oid, node) -> {
                    Long now = after.fileNodes().get(oid);
                    if (existing.containsKey(oid) && now != null && !now.equals(node)) {
                        rewritten.add(existing.get(oid));
                    }
                });
                connection.commit();
                out.add(new MeasuredLock(script.path(), statement.line(), excerpt(statement), true, taken, rewritten, null));
            } catch (SQLException e) {
                connection.rollback();
                out.add(failed(scratch, script, statement, e));
                return true;
            } finally {
                connection.setAutoCommit(true);
            }
        }
        return false;
    }

    /** A statement that failed: by its SQLSTATE and where in it, or the bound the probe went past; never the server's text. */
    private static MeasuredLock failed(ScratchDatabase scratch, Script script, SqlStatement statement, SQLException e) {
        String why = scratch.exceeded().orElseGet(() -> CallerErrors.describe(e, statement.text(), 0));
        return new MeasuredLock(script.path(), statement.line(), excerpt(statement), true, List.of(), List.of(), why);
    }

    private static MeasuredLock documented(Script script, SqlStatement statement) {
        String normalized = statement.normalized();
        String lock = DOCUMENTED.entrySet().stream().filter(entry -> normalized.startsWith(entry.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse("not measured: " + normalized.split(" ")[0] + " cannot run in a transaction");
        return new MeasuredLock(script.path(), statement.line(), excerpt(statement), false, List.of(lock), List.of(), null);
    }

    /** Relations by oid: their names and their storage file numbers. */
    private record Relations(Map<Long, String> names, Map<Long, Long> fileNodes) {
    }

    private static Relations relations(Connection connection) throws SQLException {
        Map<Long, String> names = new HashMap<>();
        Map<Long, Long> nodes = new HashMap<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(USER_RELATIONS)) {
            while (rs.next()) {
                names.put(rs.getLong(1), rs.getString(2));
                nodes.put(rs.getLong(1), rs.getLong(3));
            }
        }
        return new Relations(names, nodes);
    }

    /** "ACCESS EXCLUSIVE on public.orders" for each lock held on a relation that existed before the script. */
    private static Set<String> locks(Connection connection, Map<Long, String> existing) throws SQLException {
        Set<String> locks = new LinkedHashSet<>();
        try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(OWN_LOCKS)) {
            while (rs.next()) {
                String relation = existing.get(rs.getLong(1));
                if (relation != null) {
                    locks.add(rs.getString(2).replace("Lock", "").replaceAll("([a-z])([A-Z])", "$1 $2").toUpperCase() + " on " + relation);
                }
            }
        }
        return locks;
    }

    private static String excerpt(SqlStatement statement) {
        String text = statement.text().replaceAll("\\s+", " ");
        return text.length() <= EXCERPT ? text : text.substring(0, EXCERPT - 3) + "...";
    }
}
