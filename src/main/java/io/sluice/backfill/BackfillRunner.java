package io.sluice.backfill;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import org.jboss.logging.Logger;

import io.sluice.config.SluiceConfig;
import io.sluice.error.Echo;
import io.sluice.error.LockTimeout;
import io.sluice.error.MigrationFailed;
import io.sluice.error.ValidationFailed;
import io.sluice.event.BackfillProgress;
import io.sluice.event.DeploymentId;
import io.sluice.event.SchemaName;
import io.sluice.migration.Backoff;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.SessionSettings;
import io.sluice.migration.StopSignal;

/**
 * Runs a batched data migration: keyset batches over the declared key (never OFFSET), one transaction per batch, the
 * progress row updated in the same transaction as the batch's rows, so a crash between batches loses nothing and
 * repeats nothing. The batch size follows a target batch duration; a pause between batches leaves room for the
 * application, and a longer one while a replica lags, a session waits for a lock or an old transaction is open. A
 * batch that hits {@code lock_timeout} is rolled back and tried again after a backoff; one that hits
 * {@code statement_timeout} is tried again a quarter the size. When the time budget runs low it stops between batches;
 * the next invocation resumes from the stored key. The version's history row is written by the last batch's
 * transaction: the version counts as applied exactly when its last rows are.
 */
public final class BackfillRunner {

    private static final Logger LOG = Logger.getLogger(BackfillRunner.class);
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String QUERY_CANCELED = "57014";
    private static final int MIN_SIZE = 1;

    /**
     * The script to run and where its progress goes.
     *
     * @param version        the progress row's key: the script's version (an undo's: {@link BackfillState#undoKey})
     * @param recordsHistory whether the last batch writes the version's row in Flyway's history (a migration's does, an
     *                       undo's does not)
     */
    public record Target(SchemaName schema, String version, String description, String script, int checksum, BatchSpec spec,
            DeploymentId deploymentId, boolean recordsHistory) {
    }

    /** How an invocation's share of a backfill ended. */
    public record Outcome(BackfillProgress progress, String stopReason, int lockRetries, int pauses) {

        public boolean finished() {
            return progress.finished();
        }
    }

    private final SluiceConfig.Backfill settings;
    private final SessionSettings session;
    private final Backoff backoff;
    private final Duration lockRetryBudget;
    private final String progressTable;

    /** @param progressTable the qualified name of Sluice's {@code backfill_progress} table */
    public BackfillRunner(SluiceConfig.Backfill settings, SessionSettings session, Backoff backoff, Duration lockRetryBudget,
            String progressTable) {
        this.settings = settings;
        this.session = session;
        this.backoff = backoff;
        this.lockRetryBudget = lockRetryBudget;
        this.progressTable = progressTable;
    }

    /** Runs batches on {@code connection} (its own; left in autocommit off) until done or {@code deadline} is near. */
    public Outcome run(Connection connection, Target target, Instant deadline) throws SQLException {
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute(session.initSql() + "; SET search_path TO " + target.schema().quoted());
        }
        connection.commit();
        Row row = start(connection, target);
        int size = row.batchSize;
        long lastBatchMs = settings.targetBatchDuration().toMillis();
        int lockRetries = 0;
        int pauses = 0;
        long lockWaitedMs = 0;
        while (true) {
            if (StopSignal.shutdownRequested()) {
                return stopped(row, target, "the process is shutting down (SIGTERM); stopped between batches", lockRetries, pauses);
            }
            if (Instant.now().plusMillis(2 * lastBatchMs).isAfter(deadline)) {
                return stopped(row, target, "the time budget ran out (the Lambda deadline less sluice.migrate.deadline-reserve);"
                        + " stopped between batches", lockRetries, pauses);
            }
            String overLimit = Throttle.read(connection).overLimit(settings);
            if (overLimit != null) {
                pauses++;
                if (Instant.now().plus(settings.throttlePause()).isAfter(deadline)) {
                    return stopped(row, target, "paused: " + overLimit + "; the time budget ran out while waiting", lockRetries, pauses);
                }
                LOG.infof("%s paused %d ms: %s", Echo.line(target.script()), settings.throttlePause().toMillis(), overLimit);
                backoff.sleep(settings.throttlePause());
                continue;
            }
            long started = System.nanoTime();
            long lo = row.lastKey;
            Long hi = null;
            try {
                hi = nextBound(connection, target.spec(), lo, row.upperKey, size);
                if (hi == null) {
                    row = row.finish();
                    save(connection, target, row, true);
                    connection.commit();
                    return finished(row, target, lockRetries, pauses);
                }
                long rows;
                try (Statement statement = connection.createStatement()) {
                    statement.execute(target.spec().forRange(lo, hi));
                    rows = Math.max(0, statement.getUpdateCount());
                }
                long millis = (System.nanoTime() - started) / 1_000_000;
                int next = adapt(size, millis);
                boolean last = hi >= row.upperKey;
                row = row.advance(hi, rows, millis, next);
                if (last) {
                    row = row.finish();
                }
                save(connection, target, row, last);
                connection.commit();
                if (last) {
                    return finished(row, target, lockRetries, pauses);
                }
                lastBatchMs = millis;
                size = next;
                lockWaitedMs = 0;
            } catch (SQLException e) {
                connection.rollback();
                long millis = (System.nanoTime() - started) / 1_000_000;
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    lockRetries++;
                    lockWaitedMs += millis;
                    if (lockWaitedMs > lockRetryBudget.toMillis()) {
                        throw new LockTimeout(target.script() + " could not lock the rows of keys (" + lo + ", " + hi + "] in "
                                + lockRetries + " tries; every batch before them is committed (" + row.rowsDone + " rows) and the"
                                + " next invocation resumes there. End the transaction holding them (pg_stat_activity).");
                    }
                    backoff.sleep(backoff.delay(lockRetries));
                    continue;
                }
                if (QUERY_CANCELED.equals(e.getSQLState()) && size > MIN_SIZE) {
                    LOG.warnf("%s: the batch of %d keys from %d ran into statement_timeout; trying a quarter of it", Echo.line(target.script()), size, lo);
                    size = Math.max(MIN_SIZE, size / 4);
                    continue;
                }
                throw new MigrationFailed(target.script() + " failed on keys (" + lo + ", " + (hi == null ? "?" : hi) + "]: "
                        + Echo.value(firstLine(e.getMessage())) + ". That batch was rolled back; the " + row.batches + " batches before"
                        + " it stay committed (" + row.rowsDone + " rows, keys up to " + lo + ") and a migrate after the fix resumes"
                        + " there; the version is not applied.", e);
            }
            if (!settings.pauseBetweenBatches().isZero()) {
                backoff.sleep(settings.pauseBetweenBatches());
            }
        }
    }

    /** The progress stored for {@code version}, or null when none (finished rows included). */
    public BackfillProgress progress(Connection connection, SchemaName schema, String version) throws SQLException {
        Row row = load(connection, schema, version);
        return row == null ? null : row.progress();
    }

    private Row start(Connection connection, Target target) throws SQLException {
        Row row = load(connection, target.schema(), target.version());
        if (row != null) {
            if (row.checksum != target.checksum()) {
                connection.rollback();
                throw new ValidationFailed(target.script() + " was edited while its backfill was in progress (" + row.rowsDone
                        + " rows done); a batched script must not change until it finishes. Restore it, or roll the version back.");
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + progressTable
                    + " SET invocations = invocations + 1, updated_at = now() WHERE managed_schema = ? AND version = ?")) {
                update.setString(1, target.schema().value());
                update.setString(2, target.version());
                update.executeUpdate();
            }
            connection.commit();
            LOG.infof("%s resumes after key %d (%d rows in %d batches so far)", Echo.line(target.script()), row.lastKey, row.rowsDone, row.batches);
            return row.withInvocation();
        }
        BatchSpec spec = target.spec();
        long first;
        long upper;
        try (Statement statement = connection.createStatement();
                ResultSet rs = statement.executeQuery("SELECT min(" + spec.key() + "), max(" + spec.key() + ") FROM " + spec.table())) {
            rs.next();
            first = rs.getLong(1);
            upper = rs.wasNull() ? Long.MIN_VALUE : rs.getLong(2);
        }
        boolean empty = upper == Long.MIN_VALUE;
        Row created = new Row(target.version(), target.script(), spec.table(), empty ? null : first, empty ? Long.MIN_VALUE : first - 1,
                empty ? Long.MIN_VALUE : upper, 0, 0, spec.size(), 0, 1, false);
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + progressTable + " (managed_schema, version, script,"
                + " checksum, deployment_id, table_name, key_column, first_key, upper_key, last_key, batch_size) VALUES (?, ?, ?, ?, ?, ?, ?,"
                + " ?, ?, ?, ?)")) {
            insert.setString(1, target.schema().value());
            insert.setString(2, target.version());
            insert.setString(3, target.script());
            insert.setInt(4, target.checksum());
            insert.setString(5, target.deploymentId().value());
            insert.setString(6, spec.table());
            insert.setString(7, spec.key());
            insert.setObject(8, created.firstKey);
            insert.setObject(9, empty ? null : upper);
            insert.setObject(10, empty ? null : created.lastKey);
            insert.setInt(11, spec.size());
            insert.executeUpdate();
        }
        connection.commit();
        LOG.infof("%s starts: keys %s to %s of %s, %d per batch", Echo.line(target.script()), empty ? "-" : first, empty ? "-" : upper, spec.table(),
                spec.size());
        return created;
    }

    private Row load(Connection connection, SchemaName schema, String version) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT script, table_name, first_key, last_key, upper_key, rows_done,"
                + " batches, batch_size, busy_ms, invocations, finished_at IS NOT NULL, checksum FROM " + progressTable
                + " WHERE managed_schema = ? AND version = ?")) {
            query.setString(1, schema.value());
            query.setString(2, version);
            try (ResultSet rs = query.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Long firstKey = (Long) rs.getObject(3);
                Long lastKey = (Long) rs.getObject(4);
                Long upperKey = (Long) rs.getObject(5);
                Row row = new Row(version, rs.getString(1), rs.getString(2), firstKey, lastKey == null ? Long.MIN_VALUE : lastKey,
                        upperKey == null ? Long.MIN_VALUE : upperKey, rs.getLong(6), rs.getInt(7), rs.getInt(8), rs.getLong(9), rs.getInt(10),
                        rs.getBoolean(11));
                row.checksum = rs.getInt(12);
                return row;
            }
        }
    }

    /** The highest key of the next batch: at most {@code size} keys above {@code lo}, none above {@code upper}. */
    private static Long nextBound(Connection connection, BatchSpec spec, long lo, long upper, int size) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT max(k) FROM (SELECT " + spec.key() + " AS k FROM " + spec.table()
                + " WHERE " + spec.key() + " > ? AND " + spec.key() + " <= ? ORDER BY " + spec.key() + " LIMIT ?) batch")) {
            query.setLong(1, lo);
            query.setLong(2, upper);
            query.setInt(3, size);
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                long hi = rs.getLong(1);
                return rs.wasNull() ? null : hi;
            }
        }
    }

    /** The progress row, and with the last batch the version's row in Flyway's history, in the batch's transaction. */
    private void save(Connection connection, Target target, Row row, boolean last) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + progressTable + " SET last_key = ?, rows_done = ?,"
                + " batches = ?, batch_size = ?, busy_ms = ?, updated_at = now(), finished_at = CASE WHEN ? THEN now() END"
                + " WHERE managed_schema = ? AND version = ?")) {
            update.setObject(1, row.lastKey == Long.MIN_VALUE ? null : row.lastKey);
            update.setLong(2, row.rowsDone);
            update.setInt(3, row.batches);
            update.setInt(4, row.batchSize);
            update.setLong(5, row.busyMs);
            update.setBoolean(6, last);
            update.setString(7, target.schema().value());
            update.setString(8, target.version());
            update.executeUpdate();
        }
        if (!last || !target.recordsHistory()) {
            return;
        }
        String history = target.schema().quoted() + ".\"" + FlywaySetup.HISTORY_TABLE + "\"";
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + history + " (installed_rank, version, description, type,"
                + " script, checksum, installed_by, execution_time, success) SELECT coalesce(max(installed_rank), 0) + 1, ?, ?, 'SQL', ?, ?,"
                + " current_user, ?, true FROM " + history)) {
            insert.setString(1, target.version());
            insert.setString(2, target.description());
            insert.setString(3, target.script());
            insert.setInt(4, target.checksum());
            insert.setInt(5, (int) Math.min(Integer.MAX_VALUE, row.busyMs));
            insert.executeUpdate();
        }
    }

    /** The next batch size: scaled toward the target duration, at most doubled or halved per batch. */
    private int adapt(int size, long millis) {
        long target = Math.max(1, settings.targetBatchDuration().toMillis());
        double factor = millis <= 0 ? 2.0 : Math.max(0.5, Math.min(2.0, (double) target / millis));
        return (int) Math.max(MIN_SIZE, Math.min(BatchSpec.MAX_SIZE, Math.round(size * factor)));
    }

    private static Outcome stopped(Row row, Target target, String reason, int lockRetries, int pauses) {
        LOG.infof("%s stopped after key %d: %s", Echo.line(target.script()), row.lastKey, Echo.line(reason));
        return new Outcome(row.progress(), reason + " (" + target.script() + " at " + row.progress().percentDone() + " %)", lockRetries,
                pauses);
    }

    private static Outcome finished(Row row, Target target, int lockRetries, int pauses) {
        LOG.infof("%s finished: %d rows in %d batches, %d ms in batches", Echo.line(target.script()), row.rowsDone, row.batches, row.busyMs);
        return new Outcome(row.progress(), null, lockRetries, pauses);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    /** The progress row as this invocation holds it. */
    private static final class Row {
        final String version;
        final String script;
        final String table;
        final Long firstKey;
        final long lastKey;
        final long upperKey;
        final long rowsDone;
        final int batches;
        final int batchSize;
        final long busyMs;
        final int invocations;
        final boolean finished;
        int checksum;

        Row(String version, String script, String table, Long firstKey, long lastKey, long upperKey, long rowsDone, int batches,
                int batchSize, long busyMs, int invocations, boolean finished) {
            this.version = version;
            this.script = script;
            this.table = table;
            this.firstKey = firstKey;
            this.lastKey = lastKey;
            this.upperKey = upperKey;
            this.rowsDone = rowsDone;
            this.batches = batches;
            this.batchSize = batchSize;
            this.busyMs = busyMs;
            this.invocations = invocations;
            this.finished = finished;
        }

        Row advance(long hi, long rows, long millis, int nextSize) {
            return new Row(version, script, table, firstKey, hi, upperKey, rowsDone + rows, batches + 1, nextSize, busyMs + millis, invocations,
                    false);
        }

        Row finish() {
            return new Row(version, script, table, firstKey, lastKey, upperKey, rowsDone, batches, batchSize, busyMs, invocations, true);
        }

        Row withInvocation() {
            Row row = new Row(version, script, table, firstKey, lastKey, upperKey, rowsDone, batches, batchSize, busyMs, invocations + 1,
                    finished);
            row.checksum = checksum;
            return row;
        }

        BackfillProgress progress() {
            boolean empty = firstKey == null;
            double span = empty ? 0 : (double) upperKey - (firstKey - 1);
            double done = empty ? 0 : (double) lastKey - (firstKey - 1);
            double percent = empty || finished ? 100.0 : Math.round(1000.0 * done / span) / 10.0;
            // No estimate before the first batch: nothing has been timed yet.
            Long remaining = finished ? Long.valueOf(0) : empty || done <= 0 ? null : Long.valueOf(Math.round(busyMs * (span - done) / done));
            return new BackfillProgress(version, script, table, rowsDone, batches, empty || lastKey < firstKey ? null : lastKey,
                    empty ? null : upperKey, batchSize, percent, busyMs, remaining, invocations, finished);
        }
    }
}
