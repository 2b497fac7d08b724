package io.sluice.command;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.jboss.logging.Logger;

import io.sluice.backfill.BackfillRunner;
import io.sluice.backfill.BackfillState;
import io.sluice.backfill.BatchSpec;
import io.sluice.catalog.SchemaCatalog;
import io.sluice.catalog.SchemaDiff;
import io.sluice.catalog.SnapshotStore;
import io.sluice.config.SluiceConfig;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.error.RollbackFailed;
import io.sluice.error.ScratchReplayFailed;
import io.sluice.error.SluiceException;
import io.sluice.event.AppliedScript;
import io.sluice.event.RdsRestore;
import io.sluice.event.RollbackReport;
import io.sluice.event.RollbackRequest;
import io.sluice.event.RollbackStatus;
import io.sluice.event.RollbackStrategy;
import io.sluice.event.SchemaDifference;
import io.sluice.event.TargetVersion;
import io.sluice.event.UndoProof;
import io.sluice.event.UndoStep;
import io.sluice.migration.Backoff;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywayInfos;
import io.sluice.migration.HistoryRow;
import io.sluice.migration.MigrationLock;
import io.sluice.migration.RetryPolicy;
import io.sluice.migration.Script;
import io.sluice.migration.ScriptLoader;
import io.sluice.migration.ScriptSet;
import io.sluice.migration.SessionSettings;
import io.sluice.migration.UndoRunner;
import io.sluice.scratch.ExpectedSchema;
import io.sluice.scratch.UndoChainProver;
import io.sluice.sql.SqlStatement;
import io.sluice.sql.SqlText;

/**
 * Returns a schema to an earlier version with its undo scripts, newest first, and proves it: afterwards the live
 * schema must equal the snapshot Sluice recorded when that version was reached. Refuses before changing anything
 * when an undo script or the snapshot is missing, or when a version's history row was not written by the V script the
 * undo script goes with (another release's bundle, another tool's history). Every attempt lands in the audit table.
 */
@ApplicationScoped
public class RollbackCommand {

    private static final Logger LOG = Logger.getLogger(RollbackCommand.class);
    /** Instance statuses from which a restore does not recover. */
    private static final Set<String> FAILED_RESTORE = Set.of("failed", "incompatible-restore", "incompatible-parameters",
            "incompatible-network", "storage-full", "inaccessible-encryption-credentials");

    private final ScriptLoader loader;
    private final DatabaseConnector connector;
    private final SchemaCatalog catalog;
    private final SluiceConfig.Migrate settings;
    private final Backoff.Sleeper sleeper;
    private final ExpectedSchema expectedSchema;
    private final SnapshotRestores restores;
    private final FlywayInfos infos = new FlywayInfos();

    @Inject
    public RollbackCommand(ScriptLoader loader, DatabaseConnector connector, SchemaCatalog catalog, SluiceConfig config,
            SnapshotRestores restores) {
        this(loader, connector, catalog, config.migrate(), Backoff.THREAD_SLEEP, restores);
    }

    public RollbackCommand(ScriptLoader loader, DatabaseConnector connector, SchemaCatalog catalog,
            SluiceConfig.Migrate settings, Backoff.Sleeper sleeper) {
        this(loader, connector, catalog, settings, sleeper, SnapshotRestores.NONE);
    }

    public RollbackCommand(ScriptLoader loader, DatabaseConnector connector, SchemaCatalog catalog,
            SluiceConfig.Migrate settings, Backoff.Sleeper sleeper, SnapshotRestores restores) {
        this.restores = restores;
        this.loader = loader;
        this.connector = connector;
        this.catalog = catalog;
        this.settings = settings;
        this.sleeper = sleeper;
        this.expectedSchema = new ExpectedSchema(connector, catalog, settings);
    }

    public RollbackReport run(RollbackRequest request, Duration timeLeft) {
        long started = System.nanoTime();
        Instant startedAt = Instant.now();
        Instant deadline = startedAt.plus(timeLeft).minus(settings.deadlineReserve());
        ScriptSet scripts = loader.load(request.migrations());
        SessionSettings session = SessionSettings.from(settings, request.lockTimeout(), null);
        DataSource dataSource = connector.reusing(request.database(), Duration.ZERO);
        try (Connection connection = dataSource.getConnection()) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(session.initSql());
            }
            if (request.strategy() == RollbackStrategy.SNAPSHOT) {
                return restore(request, dataSource, connection, startedAt, started);
            }
            if (request.isDryRun()) {
                return plan(request, scripts, dataSource, connection, started);
            }
            Duration lockWait = Duration.between(Instant.now(), deadline);
            RetryPolicy policy = RetryPolicy.of(settings, session.lockTimeout().duration(), sleeper);
            try (MigrationLock lock = MigrationLock.acquire(connection, request.schema(),
                    lockWait.compareTo(settings.migrationLockWait()) < 0 ? lockWait : settings.migrationLockWait(), policy.backoff())) {
                return rollBack(request, scripts, dataSource, connection, policy, deadline, startedAt, started);
            }
        } catch (SQLException e) {
            throw connector.classify(e, request.database());
        }
    }

    /**
     * The {@code snapshot} strategy: finds the pre-change snapshot, refuses one taken at another version than the
     * target, and starts restoring it to a new instance (a dry run only names both). Asked again with the new instance's
     * name, it reports how far the restore is (what the workflow polls). The database in the event is not changed; the
     * audit table records the restore once, when it starts.
     */
    private RollbackReport restore(RollbackRequest request, DataSource dataSource, Connection connection, Instant startedAt,
            long started) throws SQLException {
        List<HistoryRow> history = HistoryRow.appliedNewestFirst(connection, request.schema());
        String current = history.isEmpty() ? SnapshotStore.NO_VERSION : history.get(0).version().getVersion();
        String target = request.targetVersion().toString();
        RdsRestore plan = restores.plan(request.rdsInstance(), request.rdsSnapshot(), request.deploymentId().value(),
                request.restoredInstance());
        if (plan.snapshotVersion() != null
                && !MigrationVersion.fromVersion(plan.snapshotVersion()).equals(MigrationVersion.fromVersion(target))) {
            throw new InvalidRequest("field 'targetVersion': snapshot " + plan.snapshot() + " was taken at version "
                    + plan.snapshotVersion() + ", not " + target + "; nothing was changed");
        }
        if (request.isDryRun()) {
            return restoreReport(request, RollbackStatus.PLANNED, current, plan, null, started);
        }
        Optional<RdsRestore> existing = restores.existing(plan);
        RdsRestore restore = existing.orElseGet(() -> restores.start(plan, request.deploymentId().value()));
        if (FAILED_RESTORE.contains(restore.status())) {
            throw new RollbackFailed("RDS reports the restored instance " + restore.instance() + " as " + restore.status()
                    + "; the database in the event is unchanged");
        }
        Long auditId = null;
        if (existing.isEmpty()) {
            auditId = new RollbackAudit(catalog.store(), dataSource).record(connection, request, current,
                    RollbackAudit.Result.RESTORE_STARTED, "snapshot " + restore.snapshot() + " of " + restore.sourceInstance()
                            + " restoring to instance " + restore.instance(), List.of(), startedAt);
            LOG.infof("rollback by snapshot: %s of %s restoring to %s (version %s)", restore.snapshot(), restore.sourceInstance(),
                    restore.instance(), target);
        }
        RollbackStatus status = "available".equals(restore.status()) ? RollbackStatus.RESTORED : RollbackStatus.RESTORING;
        return restoreReport(request, status, current, restore, auditId, started);
    }

    /** A snapshot rollback's result: the database in the event stays at {@code current}; {@code restore} says the rest. */
    private static RollbackReport restoreReport(RollbackRequest request, RollbackStatus status, String current, RdsRestore restore,
            Long auditId, long started) {
        return new RollbackReport(request.deploymentId(), status, request.database().displayUrl(), request.schema().value(),
                request.strategy(), request.targetVersion().toString(), current, current, List.of(), List.of(), List.of(), false, null,
                false, null, restore, auditId, (System.nanoTime() - started) / 1_000_000);
    }

    private RollbackReport plan(RollbackRequest request, ScriptSet scripts, DataSource dataSource, Connection connection, long started)
            throws SQLException {
        List<HistoryRow> history = HistoryRow.appliedNewestFirst(connection, request.schema());
        String current = history.isEmpty() ? SnapshotStore.NO_VERSION : history.get(0).version().getVersion();
        List<HistoryRow> toUndo = toUndo(request, history, current);
        List<BackfillState.Unfinished> partial = partialBackfills(connection, request);
        List<UndoStep> steps = steps(partial, toUndo, scripts);
        List<String> blockers = new ArrayList<>(blockers(request, scripts, dataSource, toUndo, steps, connection));
        List<UndoProof> proof = null;
        if (request.isProve() && blockers.isEmpty() && !steps.isEmpty()) {
            try {
                ExpectedSchema.Expected expected = expectedSchema.of(connection, request, request.schema(), scripts,
                        request.targetVersion().toString()).orElseThrow();
                proof = new UndoChainProver(connector, catalog, settings).prove(request, scripts, current, toUndo, expected);
            } catch (ScratchReplayFailed e) {
                proof = List.of(new UndoProof(request.targetVersion().toString(), null, false, "not provable: " + e.getMessage(), 0));
            }
            proof.stream().filter(step -> !step.ok()).forEach(step -> blockers.add(step.message().startsWith("not provable")
                    ? step.message()
                    : step.undoScript() == null ? "the undo chain runs, but " + step.message().substring("the ".length())
                    : step.undoScript() + " " + step.message() + " (proved in a scratch database)"));
        }
        return new RollbackReport(request.deploymentId(), RollbackStatus.PLANNED, request.database().displayUrl(),
                request.schema().value(), request.strategy(), request.targetVersion().toString(), current, current, steps,
                blockers, List.of(), false, null, false, proof, null, null, (System.nanoTime() - started) / 1_000_000);
    }

    private RollbackReport rollBack(RollbackRequest request, ScriptSet scripts, DataSource dataSource, Connection connection,
            RetryPolicy policy,
            Instant deadline, Instant startedAt, long started) throws SQLException {
        RollbackAudit audit = new RollbackAudit(catalog.store(), dataSource);
        List<HistoryRow> history = HistoryRow.appliedNewestFirst(connection, request.schema());
        String current = history.isEmpty() ? SnapshotStore.NO_VERSION : history.get(0).version().getVersion();
        List<HistoryRow> toUndo = toUndo(request, history, current);
        List<BackfillState.Unfinished> partial = partialBackfills(connection, request);
        List<UndoStep> steps = steps(partial, toUndo, scripts);
        String target = request.targetVersion().toString();
        if (toUndo.isEmpty() && partial.isEmpty()) {
            long auditId = audit.record(connection, request, current, RollbackAudit.Result.NOTHING_TO_UNDO, null, List.of(), startedAt);
            return report(request, RollbackStatus.NOTHING_TO_UNDO, current, current, steps, List.of(), List.of(), false, null, false,
                    auditId, started);
        }
        List<String> blockers = blockers(request, scripts, dataSource, toUndo, steps, connection);
        if (!blockers.isEmpty()) {
            String detail = "nothing was changed: " + String.join("; ", blockers);
            audit.record(connection, request, current, RollbackAudit.Result.REFUSED, detail, List.of(), startedAt);
            throw new RollbackFailed("cannot roll back schema " + request.schema() + " from " + current + " to " + target + ", "
                    + detail);
        }
        // Read (or rebuilt from the scripts) before anything changes: if it cannot be had, nothing is undone.
        ExpectedSchema.Expected expected;
        try {
            expected = expectedSchema.of(connection, request, request.schema(), scripts, target).orElseThrow();
        } catch (ScratchReplayFailed e) {
            audit.record(connection, request, current, RollbackAudit.Result.REFUSED, "nothing was changed: " + e.getMessage(), List.of(),
                    startedAt);
            throw new ScratchReplayFailed("cannot roll back schema " + request.schema() + " from " + current + " to " + target
                    + ", nothing was changed: " + e.getMessage(), e);
        }
        UndoRunner runner = new UndoRunner(policy);
        List<AppliedScript> undone = new ArrayList<>();
        List<String> removedHistory = new ArrayList<>();
        // Backfills that started and did not finish come first: they are above everything applied.
        for (int i = 0; i < partial.size(); i++) {
            BackfillState.Unfinished backfill = partial.get(i);
            Script undoScript = scripts.undoFor(backfill.version()).orElseThrow();
            try {
                undone.add(undoBackfill(request, dataSource, connection, undoScript, backfill.version().getVersion(), policy, deadline));
                BackfillState.forget(connection, request.schema(), catalog.store().stateSchema(), backfill.version().getVersion());
            } catch (SQLException | SluiceException e) {
                String detail = undoScript.path() + " (undoing the unfinished backfill " + backfill.script() + ", " + backfill.rowsDone()
                        + " rows done) failed: " + e.getMessage();
                audit.record(connection, request, current, RollbackAudit.Result.FAILED, detail, removedHistory, startedAt);
                throw new RollbackFailed("rollback of schema " + request.schema() + " to " + target + " stopped: " + detail, e);
            }
        }
        for (int i = 0; i < toUndo.size(); i++) {
            HistoryRow row = toUndo.get(i);
            UndoStep step = steps.get(partial.size() + i);
            Script undoScript = scripts.undoFor(row.version()).orElseThrow();
            try {
                if (undoScript.isBatched()) {
                    undone.add(undoBackfill(request, dataSource, connection, undoScript, row.version().getVersion(), policy, deadline));
                    row.delete(connection, request.schema());
                } else {
                    undone.add(runner.undo(connection, request.schema(), row, undoScript, step.transactional(), deadline));
                }
                BackfillState.forget(connection, request.schema(), catalog.store().stateSchema(), row.version().getVersion());
                removedHistory.add(row.json());
            } catch (SQLException | SluiceException e) {
                String now = row.version().getVersion();
                String detail = undoScript.path() + " failed: " + e.getMessage() + (step.transactional()
                        ? " (rolled back; the schema is at version " + now + ")"
                        : " (it ran outside a transaction: statements before the failing one stay applied)")
                        + "; " + checkWhereItStopped(connection, request, scripts, now);
                audit.record(connection, request, current, RollbackAudit.Result.FAILED, detail, removedHistory, startedAt);
                throw new RollbackFailed("rollback of schema " + request.schema() + " to " + target + " stopped: " + detail
                        + (undone.isEmpty() ? "" : "; undone before it: " + undone.stream().map(AppliedScript::script)
                                .collect(Collectors.joining(", "))), e);
            }
        }
        List<SchemaDifference> differences = SchemaDiff.between(expected.snapshot(), catalog.read(connection));
        if (!differences.isEmpty()) {
            String detail = "the schema differs from the snapshot of version " + target + " (" + expected.sha256() + "): "
                    + differences.stream().map(SchemaDifference::summary).collect(Collectors.joining("; "));
            audit.record(connection, request, current, RollbackAudit.Result.VERIFICATION_FAILED, detail, removedHistory, startedAt);
            throw new RollbackFailed("undo scripts ran, but " + detail + ". Reconcile with:\n" + SchemaDiff.reconcileScript(differences));
        }
        long auditId = audit.record(connection, request, current, RollbackAudit.Result.ROLLED_BACK,
                "verified against snapshot " + expected.sha256() + (expected.rebuilt() ? " (rebuilt from the scripts)" : ""),
                removedHistory, startedAt);
        LOG.infof("rolled schema %s back from %s to %s; verified against snapshot %s", request.schema(), current, target,
                expected.sha256());
        return report(request, RollbackStatus.ROLLED_BACK, current, target, steps, List.of(), undone, true, expected.sha256(),
                expected.rebuilt(), auditId, started);
    }

    /**
     * After an undo script failed: whether the schema is what version {@code version} (where the rollback stopped)
     * should be, against its recorded or rebuilt snapshot, so the differences surface now and not in a later check.
     */
    private String checkWhereItStopped(Connection connection, RollbackRequest request, ScriptSet scripts, String version) {
        try {
            Optional<ExpectedSchema.Expected> expected = expectedSchema.of(connection, request, request.schema(), scripts,
                    version);
            if (expected.isEmpty()) {
                return "the schema at version " + version + " could not be checked: no snapshot of it, and no script to rebuild it from";
            }
            List<SchemaDifference> differences = SchemaDiff.between(expected.get().snapshot(), catalog.read(connection));
            return differences.isEmpty()
                    ? "the schema equals that of version " + version + (expected.get().rebuilt() ? " (rebuilt from the scripts)" : "")
                    : "the schema differs from that of version " + version + ": " + differences.stream().map(SchemaDifference::summary)
                            .collect(Collectors.joining("; ")) + ". Reconcile with: " + SchemaDiff.reconcileScript(differences);
        } catch (SQLException | RuntimeException e) {
            return "the schema at version " + version + " could not be checked: " + e.getMessage();
        }
    }

    private static List<HistoryRow> toUndo(RollbackRequest request, List<HistoryRow> history, String current) {
        MigrationVersion target = MigrationVersion.fromVersion(request.targetVersion().version());
        if (!history.isEmpty() && target.compareTo(history.get(0).version()) > 0) {
            throw new InvalidRequest("field 'targetVersion': " + target + " is above the current version " + current
                    + "; rollback only goes down. Use migrate to go up.");
        }
        return history.stream().filter(row -> row.version().compareTo(target) > 0).toList();
    }

    /**
     * Undoes a version with a batched undo script ({@code -- sluice:batch}) in batches, resuming where an earlier
     * rollback stopped; a plain one (the undo of an unfinished backfill) in one transaction.
     */
    private AppliedScript undoBackfill(RollbackRequest request, DataSource dataSource, Connection connection, Script undo, String version,
            RetryPolicy policy, Instant deadline) throws SQLException {
        long started = System.nanoTime();
        Optional<BatchSpec> batched = BatchSpec.of(undo);
        if (batched.isEmpty()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                for (SqlStatement sql : SqlText.split(undo.content())) {
                    statement.execute(sql.text());
                }
                connection.commit();
            } catch (SQLException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } else {
            catalog.store().ensureTables(dataSource);
            SessionSettings session = SessionSettings.from(settings, request.lockTimeout(), null);
            BackfillRunner runner = new BackfillRunner(settings.backfill(), session, policy.backoff(), settings.lockRetryBudget(),
                    catalog.store().table("backfill_progress"));
            try (Connection batches = dataSource.getConnection()) {
                BackfillRunner.Outcome outcome = runner.run(batches, new BackfillRunner.Target(request.schema(),
                        BackfillState.undoKey(version), undo.description(), undo.path(), 0, batched.get(), request.deploymentId(), false),
                        deadline);
                if (!outcome.finished()) {
                    throw new RollbackFailed(undo.path() + " runs in batches and stopped at " + outcome.progress().percentDone()
                            + " % (" + outcome.stopReason() + "); invoke rollback again to resume it. Version " + version
                            + " stays in the history until its undo finishes.");
                }
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        LOG.infof("undid version %s with %s in %d ms", version, Echo.line(undo.path()), millis);
        return new AppliedScript(version, undo.description(), undo.path(), batched.isEmpty(), millis);
    }

    private List<BackfillState.Unfinished> partialBackfills(Connection connection, RollbackRequest request) throws SQLException {
        return BackfillState.unfinishedAbove(connection, request.schema(), catalog.store().stateSchema(),
                MigrationVersion.fromVersion(request.targetVersion().version()));
    }

    private static List<UndoStep> steps(List<BackfillState.Unfinished> partial, List<HistoryRow> toUndo, ScriptSet scripts) {
        List<UndoStep> steps = new ArrayList<>();
        for (BackfillState.Unfinished backfill : partial) {
            Optional<Script> undo = scripts.undoFor(backfill.version());
            steps.add(new UndoStep(backfill.version().getVersion(), backfill.script(), undo.map(Script::path).orElse(null),
                    undo.map(script -> !script.isBatched()).orElse(true)));
        }
        for (HistoryRow row : toUndo) {
            Optional<Script> undo = scripts.undoFor(row.version());
            steps.add(new UndoStep(row.version().getVersion(), row.script(), undo.map(Script::path).orElse(null),
                    undo.map(scripts::isTransactional).orElse(true)));
        }
        return steps;
    }

    private List<String> blockers(RollbackRequest request, ScriptSet scripts, DataSource dataSource, List<HistoryRow> toUndo,
            List<UndoStep> steps, Connection connection) throws SQLException {
        List<String> blockers = new ArrayList<>(foreignVersions(request, scripts, dataSource, connection, toUndo));
        for (UndoStep step : steps) {
            if (step.undoScript() == null) {
                blockers.add("version " + step.version() + " (" + step.script() + ") has no undo script in " + request.migrations());
            }
        }
        if (!steps.isEmpty()) {
            expectedSchema.unavailable(connection, request.schema(), scripts, request.targetVersion().toString()).ifPresent(blockers::add);
        }
        return blockers;
    }

    /**
     * The versions to undo whose history row the scripts do not match: an undo script is known to reverse only the V
     * script it was written with, so each version's V script must be there under the name the history records, with
     * the checksum it was applied with. Another release's bundle, or a history another tool wrote, fails here, before
     * any undo script runs, not in the schema check after them.
     */
    private List<String> foreignVersions(RollbackRequest request, ScriptSet scripts, DataSource dataSource, Connection connection,
            List<HistoryRow> toUndo) throws SQLException {
        if (toUndo.isEmpty()) {
            return List.of();
        }
        Map<MigrationVersion, MigrationInfo> applied = new HashMap<>();
        for (MigrationInfo migration : infos.info(connection, dataSource, request.database(), scripts, request.schema(),
                TargetVersion.LATEST, SessionSettings.from(settings, request.lockTimeout(), null)).applied()) {
            if (migration.getVersion() != null) {
                applied.put(migration.getVersion(), migration);
            }
        }
        List<String> foreign = new ArrayList<>();
        for (HistoryRow row : toUndo) {
            String version = row.version().getVersion();
            Optional<Script> versioned = scripts.versioned(row.version());
            MigrationInfo migration = applied.get(row.version());
            if (versioned.isEmpty()) {
                foreign.add("version " + version + " was applied by " + Echo.line(row.script()) + ", which " + request.migrations()
                        + " does not hold: nothing shows that its undo script reverses it");
            } else if (!versioned.get().path().equals(row.script())) {
                foreign.add("version " + version + " was applied by " + Echo.line(row.script()) + ", but " + request.migrations()
                        + " has " + versioned.get().path() + " at that version: its undo scripts belong to another release");
            } else if (migration != null && migration.getResolvedChecksum() != null && !migration.isChecksumMatching()) {
                foreign.add("version " + version + " was applied by " + row.script() + " with checksum " + migration.getAppliedChecksum()
                        + ", but " + request.migrations() + " holds it with checksum " + migration.getResolvedChecksum()
                        + ": another text than the one applied, which its undo script was not written for");
            }
        }
        return foreign;
    }

    private static RollbackReport report(RollbackRequest request, RollbackStatus status, String before, String after,
            List<UndoStep> steps, List<String> blockers, List<AppliedScript> undone, boolean verified, String sha256,
            boolean rebuilt, Long auditId, long started) {
        return new RollbackReport(request.deploymentId(), status, request.database().displayUrl(), request.schema().value(),
                request.strategy(), request.targetVersion().toString(), before, after, steps, blockers, undone, verified, sha256,
                rebuilt, null, null, auditId, (System.nanoTime() - started) / 1_000_000);
    }
}
