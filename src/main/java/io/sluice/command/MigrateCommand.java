package io.sluice.command;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.callback.Callback;
import org.jboss.logging.Logger;

import io.sluice.backfill.BackfillRunner;
import io.sluice.backfill.Backfills;
import io.sluice.catalog.SchemaCatalog;
import io.sluice.catalog.Snapshot;
import io.sluice.catalog.SnapshotStore;
import io.sluice.config.SluiceConfig;
import io.sluice.error.Echo;
import io.sluice.error.InvalidRequest;
import io.sluice.error.SluiceException;
import io.sluice.error.ValidationFailed;
import io.sluice.event.AppliedScript;
import io.sluice.event.BackfillProgress;
import io.sluice.event.Finding;
import io.sluice.event.LockRetry;
import io.sluice.event.MigrateReport;
import io.sluice.event.MigrateRequest;
import io.sluice.event.MigrateStatus;
import io.sluice.event.PlannedScript;
import io.sluice.event.UndoPolicy;
import io.sluice.migration.Backoff;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywayInternals;
import io.sluice.migration.FlywayLock;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.Footprint;
import io.sluice.migration.HistoryRow;
import io.sluice.migration.InvalidIndex;
import io.sluice.migration.InvalidIndexGuard;
import io.sluice.migration.MigrationLock;
import io.sluice.migration.MigrationPlanner;
import io.sluice.migration.MigrationRun;
import io.sluice.migration.Phases;
import io.sluice.migration.PreflightInspector;
import io.sluice.migration.RetryPolicy;
import io.sluice.migration.RetryingMigrator;
import io.sluice.migration.ScriptLoader;
import io.sluice.migration.ScriptSet;
import io.sluice.migration.SessionSettings;
import io.sluice.migration.StopSignal;

/**
 * Applies pending migrations: one invocation per schema at a time (advisory lock), every statement under
 * {@code lock_timeout} and {@code statement_timeout}, lock timeouts retried with backoff, a failure reported with
 * what it left behind. A second invocation with the same event finds nothing to do.
 */
@ApplicationScoped
public class MigrateCommand {

    private static final Logger LOG = Logger.getLogger(MigrateCommand.class);

    private final ScriptLoader loader;
    private final DatabaseConnector connector;
    private final SchemaCatalog catalog;
    private final SluiceConfig.Migrate settings;
    private final Backoff.Sleeper sleeper;
    private final PreChangeSnapshots snapshots;
    private final UpToDate upToDate = new UpToDate();

    @Inject
    public MigrateCommand(ScriptLoader loader, DatabaseConnector connector, SchemaCatalog catalog, SluiceConfig config,
            PreChangeSnapshots snapshots) {
        this(loader, connector, catalog, config.migrate(), Backoff.THREAD_SLEEP, snapshots);
    }

    /** Without RDS access. */
    public MigrateCommand(ScriptLoader loader, DatabaseConnector connector, SchemaCatalog catalog, SluiceConfig config) {
        this(loader, connector, catalog, config, PreChangeSnapshots.NONE);
    }

    public MigrateCommand(ScriptLoader loader, DatabaseConnector connector, SchemaCatalog catalog, SluiceConfig.Migrate settings,
            Backoff.Sleeper sleeper) {
        this(loader, connector, catalog, settings, sleeper, PreChangeSnapshots.NONE);
    }

    public MigrateCommand(ScriptLoader loader, DatabaseConnector connector, SchemaCatalog catalog, SluiceConfig.Migrate settings,
            Backoff.Sleeper sleeper, PreChangeSnapshots snapshots) {
        this.loader = loader;
        this.connector = connector;
        this.catalog = catalog;
        this.settings = settings;
        this.sleeper = sleeper;
        this.snapshots = snapshots;
    }

    /**
     * @param timeLeft how long the caller may still run (the Lambda's remaining time); waits are cut short so the
     *                 function answers before it is killed
     */
    public MigrateReport run(MigrateRequest request, Duration timeLeft) {
        // A SIGTERM waits (bounded) for the whole command, so where it stopped is recorded and its locks released.
        StopSignal.started();
        try {
            return migrate(request, timeLeft);
        } finally {
            StopSignal.finished();
        }
    }

    private MigrateReport migrate(MigrateRequest request, Duration timeLeft) {
        long started = System.nanoTime();
        Instant deadline = Instant.now().plus(timeLeft).minus(settings.deadlineReserve());
        ScriptSet scripts = loader.load(request.migrations());
        SessionSettings session = SessionSettings.from(settings, request.lockTimeout(), request.statementTimeout());
        DataSource dataSource = connector.reusing(request.database(), socketTimeout(session));
        checkTargetExists(request, scripts);
        try (Connection control = dataSource.getConnection()) {
            if (request.isDryRun()) {
                MigrationInfoService info = FlywaySetup.create(dataSource, scripts, request.schema(), request.target(), session).info();
                String current = MigrationPlanner.currentVersion(info);
                checkBaseline(request, info, current);
                List<PlannedScript> plan = MigrationPlanner.pending(info, scripts);
                if (request.baselineVersion() != null && current == null) {
                    // What adopting would record: the baseline as the current version, then the scripts above it.
                    MigrationVersion baseline = MigrationVersion.fromVersion(request.baselineVersion().version());
                    current = baseline.getVersion();
                    plan = plan.stream().filter(script -> script.version() == null
                            || MigrationVersion.fromVersion(script.version()).compareTo(baseline) > 0).toList();
                }
                checkTargetNotBelow(request, current);
                Phases.Selection phase = Phases.select(plan, request.phase(), flywayTarget(request));
                plan = Backfills.estimated(control, request.schema(), catalog.store().stateSchema(), phase.scripts(), scripts);
                LOG.infof("dry run: %d script(s) pending from version %s in phase %s", plan.size(), current, request.phase().json());
                return report(request, MigrateStatus.PLANNED, current, current, plan, new MigrationRun(List.of(), List.of(), null),
                        null, List.of(), null, phase.contractPending(), started);
            }
            Duration lockWait = shorter(settings.migrationLockWait(), Duration.between(Instant.now(), deadline));
            Backoff backoff = new Backoff(settings.lockRetryInitialBackoff(), settings.lockRetryMaxBackoff(), sleeper);
            try (MigrationLock lock = MigrationLock.acquire(control, request.schema(), lockWait, backoff)) {
                if (lock.waited().toMillis() > 0) {
                    LOG.infof("waited %d ms for another invocation migrating schema %s", lock.waited().toMillis(), request.schema());
                }
                return migrateLocked(request, scripts, dataSource, session, control, deadline, started);
            }
        } catch (SQLException e) {
            throw connector.classify(e, request.database());
        } catch (RuntimeException e) {
            throw FlywayErrors.translate(e, request.database());
        }
    }

    private MigrateReport migrateLocked(MigrateRequest request, ScriptSet scripts, DataSource dataSource,
            SessionSettings session, Connection control, Instant deadline, long started) throws SQLException {
        UpToDate.Key key = UpToDate.Key.of(request, scripts);
        Optional<UpToDate.Known> known = upToDate.get(key);
        // Read under the lock too: the history a run that found nothing to do saw, unchanged, means nothing to do again.
        if (known.isPresent() && HistoryRow.fingerprint(control, request.schema()).filter(known.get().fingerprint()::equals).isPresent()) {
            refuseInvalidIndexes(control, request);
            LOG.infof("schema %s at version %s: nothing pending (the scripts and the history are those of an earlier run)",
                    request.schema(), known.get().version());
            return report(request, MigrateStatus.UP_TO_DATE, known.get().version(), known.get().version(), List.of(),
                    new MigrationRun(List.of(), List.of(), null), null, List.of(), known.get().snapshotSha256(), 0, started);
        }
        // Read under the lock: an invocation that held it may have migrated in the meantime.
        MigrationInfoService info = FlywaySetup.create(dataSource, scripts, request.schema(), request.target(), session).info();
        String before = MigrationPlanner.currentVersion(info);
        checkBaseline(request, info, before);
        if (request.baselineVersion() != null && before == null) {
            LOG.infof("adopting schema %s at version %s", request.schema(), request.baselineVersion());
            FlywaySetup.baseline(dataSource, scripts, request.schema(), session, request.baselineVersion().version());
            info = FlywaySetup.create(dataSource, scripts, request.schema(), request.target(), session).info();
            before = MigrationPlanner.currentVersion(info);
        }
        checkTargetNotBelow(request, before);
        refuseInconsistentHistory(info, scripts);
        List<PlannedScript> allPending = MigrationPlanner.pending(info, scripts);
        Phases.Selection phase = Phases.select(allPending, request.phase(), flywayTarget(request));
        List<PlannedScript> plan = phase.scripts();
        List<Backfills.Pending> backfills = Backfills.pending(plan, scripts);
        // Even with nothing pending Flyway runs, so that edited scripts or failed rows still stop the deployment.
        LOG.infof("migrating schema %s from version %s in phase %s: %d script(s) to apply, %d contract script(s) pending",
                request.schema(), before, request.phase().json(), plan.size(), phase.contractPending());
        refuseInvalidIndexes(control, request);
        // Asked for, and something will change: the instance's snapshot starts before the first change.
        String rdsSnapshot = request.rdsSnapshot() != null && !plan.isEmpty()
                ? snapshots.create(request.rdsSnapshot(), request.deploymentId().value(), before == null ? "0" : before) : null;
        if (rdsSnapshot != null) {
            LOG.infof("RDS snapshot %s of instance %s started before migrating", rdsSnapshot, request.rdsSnapshot());
        }
        Footprint footprint = Footprint.capture(control, request.schema());
        // The schema as it is now, kept only when Sluice has no snapshot of this version yet (a first migrate,
        // or a database that was migrated before Sluice): rollback to this version needs it. Snapshots are taken at
        // the run's boundaries only; a version in between is rebuilt from the scripts when someone needs it.
        Snapshot baseline = catalog.store().exists(control, request.schema(), before) ? null : catalog.read(control);
        RetryPolicy policy = RetryPolicy.of(settings, session.lockTimeout().duration(), sleeper);
        RetryingMigrator migrator = new RetryingMigrator(policy);
        FlywayLock.awaitFree(control, request.schema(), shorter(settings.migrationLockWait(), Duration.between(Instant.now(), deadline)),
                policy.backoff());
        try {
            List<BackfillProgress> backfilled = new ArrayList<>();
            MigrationRun run = runWithBackfills(request, scripts, dataSource, session, control, deadline, migrator,
                    flywayTarget -> callbacks -> FlywaySetup.create(dataSource, scripts, request.schema(), flywayTarget, session,
                            withGuard(callbacks, new InvalidIndexGuard(footprint, scripts))),
                    plan, phase.flywayTarget(), backfills, policy.backoff(), backfilled);
            run.applied().forEach(script -> LOG.infof("applied %s in %d ms", Echo.line(script.script()), script.executionMs()));
            String after = versionAfter(before, run.applied());
            boolean changed = !run.applied().isEmpty();
            // Nothing applied: the schema was read already when no snapshot of this version was recorded, else it has one.
            Snapshot reached = changed ? catalog.read(control) : baseline;
            String stored = remember(dataSource, control, request, before, baseline, changed ? after : null, reached);
            MigrateStatus status = run.stopped() ? MigrateStatus.IN_PROGRESS : changed ? MigrateStatus.MIGRATED : MigrateStatus.UP_TO_DATE;
            String sha256 = stored != null ? stored : reached != null ? reached.withoutInvalidIndexes().sha256()
                    : catalog.store().latest(control, request.schema(), before).map(SnapshotStore.Stored::sha256).orElse(null);
            if (status == MigrateStatus.UP_TO_DATE && allPending.isEmpty()) {
                Optional<String> fingerprint = HistoryRow.fingerprint(control, request.schema());
                if (fingerprint.isPresent()) {
                    upToDate.put(key, new UpToDate.Known(fingerprint.get(), after, sha256));
                }
            }
            return report(request, status, before, after, plan, run, rdsSnapshot, backfilled, sha256,
                    phase.contractPendingAfter(run.applied().stream().map(AppliedScript::script).toList()), started);
        } catch (RetryingMigrator.MigrationFailure failure) {
            if (!failure.applied().isEmpty()) {
                try {
                    // Where the run stopped is a boundary too: record it, so a rollback to it needs no rebuild.
                    remember(dataSource, control, request, before, baseline, versionAfter(before, failure.applied()),
                            catalog.read(control));
                } catch (SQLException | RuntimeException e) {
                    LOG.warnf("could not record the snapshots of the run that failed: %s", Echo.value(e.getMessage()));
                }
            }
            throw afterFailure(failure, footprint, request, control, session);
        }
    }

    /**
     * Flyway's runs around the batched scripts: Flyway applies what comes before a batched script, Sluice runs its
     * batches (resuming where an earlier invocation stopped), then Flyway goes on. Stops like a plain run when the
     * time budget runs out, between scripts or between batches.
     *
     * @param flywayFor   the Flyway for a target ({@code current}, a version, or the request's)
     * @param finalTarget where the run ends: the request's target, or where its phase ends
     * @param progress  receives where each backfill this invocation touched stands
     */
    private MigrationRun runWithBackfills(MigrateRequest request, ScriptSet scripts, DataSource dataSource, SessionSettings session,
            Connection control, Instant deadline, RetryingMigrator migrator, Function<String, Function<Callback[], Flyway>> flywayFor,
            List<PlannedScript> plan, String finalTarget, List<Backfills.Pending> backfills, Backoff backoff,
            List<BackfillProgress> progress) {
        List<AppliedScript> applied = new ArrayList<>();
        List<LockRetry> retries = new ArrayList<>();
        for (Backfills.Pending backfill : backfills) {
            MigrationRun before = segment(() -> migrator.migrate(flywayFor.apply(Backfills.targetBefore(plan, backfill)), scripts, control,
                    request.schema(), deadline), applied, retries);
            if (before.stopped()) {
                return new MigrationRun(applied, retries, before.stopReason());
            }
            PlannedScript planned = backfill.planned();
            BackfillRunner.Outcome outcome;
            try (Connection connection = dataSource.getConnection()) {
                catalog.store().ensureTables(dataSource);
                BackfillRunner runner = new BackfillRunner(settings.backfill(), session, backoff, settings.lockRetryBudget(),
                        catalog.store().table("backfill_progress"));
                outcome = runner.run(connection, new BackfillRunner.Target(request.schema(), planned.version(), planned.description(),
                        planned.script(), planned.checksum(), backfill.spec(), request.deploymentId(), true), deadline);
            } catch (SluiceException e) {
                throw RetryingMigrator.MigrationFailure.of(e, applied, retries);
            } catch (SQLException e) {
                throw RetryingMigrator.MigrationFailure.of(connector.classify(e, request.database()), applied, retries);
            }
            progress.add(outcome.progress());
            if (!outcome.finished()) {
                return new MigrationRun(applied, retries, outcome.stopReason());
            }
            applied.add(new AppliedScript(planned.version(), planned.description(), planned.script(), false, outcome.progress().busyMs()));
        }
        MigrationRun rest = segment(() -> migrator.migrate(flywayFor.apply(finalTarget), scripts, control, request.schema(), deadline),
                applied, retries);
        return new MigrationRun(applied, retries, rest.stopReason());
    }

    /** One of Flyway's runs, its scripts and retries added to the invocation's; a failure carries the earlier ones. */
    private static MigrationRun segment(Supplier<MigrationRun> run, List<AppliedScript> applied, List<LockRetry> retries) {
        try {
            MigrationRun done = run.get();
            applied.addAll(done.applied());
            retries.addAll(done.retries());
            return done;
        } catch (RetryingMigrator.MigrationFailure failure) {
            throw failure.after(applied, retries);
        }
    }

    private static Callback[] withGuard(Callback[] callbacks, Callback guard) {
        Callback[] all = Arrays.copyOf(callbacks, callbacks.length + 1);
        all[callbacks.length] = guard;
        return all;
    }

    /**
     * Flyway's own validation, done by Sluice on the history it already read (Flyway's is switched off, so a long
     * history is not resolved and checked twice): an edited, renamed, missing, failed or skipped script stops the
     * deployment before anything changes.
     */
    private static void refuseInconsistentHistory(MigrationInfoService info, ScriptSet scripts) {
        List<Finding> errors = PreflightInspector.inspect(info, scripts, UndoPolicy.OFF).stream()
                .filter(finding -> finding.severity() == Finding.Severity.ERROR).toList();
        if (!errors.isEmpty()) {
            throw new ValidationFailed("the history does not match the scripts; nothing was migrated: " + errors.stream()
                    .map(finding -> finding.code() + " " + finding.script() + ": " + finding.message()
                            + (finding.expected() == null ? "" : " (expected checksum or name " + finding.expected() + ", found "
                                    + finding.actual() + ")"))
                    .collect(Collectors.joining("; ")) + " Run validate (mode preflight) for every finding.");
        }
    }

    /** The version the applied scripts reached: the last versioned one's (repeatable scripts have none), else {@code before}. */
    private static String versionAfter(String before, List<AppliedScript> applied) {
        for (int i = applied.size() - 1; i >= 0; i--) {
            if (applied.get(i).version() != null) {
                return applied.get(i).version();
            }
        }
        return before;
    }

    /**
     * Stores the run's boundaries: the baseline (if taken) and, when scripts were applied, the state reached as
     * {@code after}. Rows are only added.
     *
     * @param after the version reached, or null when nothing was applied
     * @return the SHA-256 stored for {@code after}, or null when no final state was stored
     */
    private String remember(DataSource dataSource, Connection control, MigrateRequest request, String before, Snapshot baseline,
            String after, Snapshot reached) throws SQLException {
        if (baseline == null && after == null) {
            return null;
        }
        SnapshotStore store = catalog.store();
        store.ensureTables(dataSource);
        if (baseline != null) {
            store.record(control, request.schema(), before, request.deploymentId(), baseline);
        }
        return after == null ? null : store.record(control, request.schema(), after, request.deploymentId(), reached);
    }

    private SluiceException afterFailure(RetryingMigrator.MigrationFailure failure, Footprint footprint,
            MigrateRequest request, Connection control, SessionSettings session) throws SQLException {
        if (!failure.applied().isEmpty()) {
            LOG.infof("applied before the failure: %s", Echo.line(String.valueOf(failure.applied())));
        }
        if (failure.applied().isEmpty()) {
            footprint.removeEmptyHistory(control, request.schema());
        }
        SluiceException raisedByGuard = FlywayErrors.sluiceCause(failure.failure());
        if (raisedByGuard != null) {
            return raisedByGuard;
        }
        if (FlywayInternals.isNonEmptySchemaWithoutHistory(failure.failure())) {
            return new ValidationFailed("schema " + request.schema() + " has objects but no Flyway history, so Flyway will not"
                    + " migrate it; nothing was changed. Adopt it with 'baselineVersion' in the event (the version its objects"
                    + " stand for; a dry run shows what would be recorded).");
        }
        if (FlywayInternals.isLockRetriesExceeded(failure.failure())) {
            return FlywayLock.heldElsewhere(control, request.schema(), failure.failure());
        }
        FlywayInternals.ScriptFailure failed = FlywayInternals.scriptFailure(failure.failure()).orElse(null);
        if (failed != null) {
            List<String> cleanup = failed.transactional() ? List.of() : footprint.cleanupOfNewInvalidIndexes(control);
            return FlywayErrors.scriptFailed(failure.failure(), failed, failure.applied(), cleanup, request.database(),
                    session.statementTimeout().millis());
        }
        return FlywayErrors.translate(failure.failure(), request.database());
    }

    private static void refuseInvalidIndexes(Connection control, MigrateRequest request) throws SQLException {
        List<InvalidIndex> invalid = InvalidIndex.in(control, request.schema().value());
        if (!invalid.isEmpty()) {
            throw new ValidationFailed("schema " + request.schema() + " cannot be migrated while " + InvalidIndex.describe(invalid)
                    + " Nothing was migrated.");
        }
    }

    /** {@code baselineVersion} adopts a database without history; on one with history it must name the version it has. */
    private static void checkBaseline(MigrateRequest request, MigrationInfoService info, String current) {
        if (request.baselineVersion() == null || current == null) {
            return;
        }
        MigrationInfo baseline = info.applied().length == 0 ? null : info.applied()[0];
        boolean sameBaseline = baseline != null && baseline.getType().isBaseline()
                && baseline.getVersion().equals(MigrationVersion.fromVersion(request.baselineVersion().version()));
        if (!sameBaseline) {
            throw new InvalidRequest("field 'baselineVersion': schema " + request.schema() + " already has a history (version "
                    + current + "); baselineVersion only adopts a database that has none. Leave it out.");
        }
    }

    private static void checkTargetExists(MigrateRequest request, ScriptSet scripts) {
        if (request.target().isLatest()) {
            return;
        }
        MigrationVersion target = MigrationVersion.fromVersion(request.target().version());
        if (scripts.versioned(target).isEmpty()) {
            throw new InvalidRequest("field 'target': no script in " + scripts.source() + " has version " + target
                    + (scripts.latestVersion() == null ? "" : "; the latest is " + scripts.latestVersion()));
        }
    }

    private static void checkTargetNotBelow(MigrateRequest request, String current) {
        if (request.target().isLatest()) {
            return;
        }
        MigrationVersion target = MigrationVersion.fromVersion(request.target().version());
        if (current != null && target.compareTo(MigrationVersion.fromVersion(current)) < 0) {
            throw new InvalidRequest("field 'target': version " + target + " is below the current version " + current
                    + "; migrate never goes down. Use the rollback function to undo versions.");
        }
    }

    /** A read may hang on a dead connection; bound it a little beyond the longest statement PostgreSQL allows. */
    private static Duration socketTimeout(SessionSettings session) {
        long statement = session.statementTimeout().millis();
        return statement == 0 ? Duration.ZERO : Duration.ofMillis(statement).plusSeconds(30);
    }

    private static Duration shorter(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : (b.isNegative() ? Duration.ZERO : b);
    }

    private static String flywayTarget(MigrateRequest request) {
        return request.target().isLatest() ? "latest" : request.target().version();
    }

    private static MigrateReport report(MigrateRequest request, MigrateStatus status, String before, String after,
            List<PlannedScript> plan, MigrationRun run, String rdsSnapshot, List<BackfillProgress> backfills, String snapshotSha256,
            int contractPending, long started) {
        return new MigrateReport(request.deploymentId(), status, request.database().displayUrl(), request.schema().value(),
                request.target().toString(), before, after, plan, run.applied(), run.retries(), snapshotSha256, run.stopReason(),
                rdsSnapshot, backfills, request.phase(), contractPending, (System.nanoTime() - started) / 1_000_000);
    }
}
