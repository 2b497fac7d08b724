package io.sluice.scratch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import org.jboss.logging.Logger;

import io.sluice.catalog.SchemaCatalog;
import io.sluice.catalog.SchemaDiff;
import io.sluice.catalog.Snapshot;
import io.sluice.config.SluiceConfig;
import io.sluice.event.PlannedScript;
import io.sluice.event.ReversibilityCheck;
import io.sluice.event.SchemaDifference;
import io.sluice.event.TargetVersion;
import io.sluice.event.ValidateRequest;
import io.sluice.migration.Backoff;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.FlywaySetup;
import io.sluice.migration.HistoryRow;
import io.sluice.migration.RetryPolicy;
import io.sluice.migration.Script;
import io.sluice.migration.ScriptSet;
import io.sluice.migration.SessionSettings;
import io.sluice.migration.UndoRunner;

/**
 * Proves, before a deployment, that every pending script's undo script really reverses it. In a scratch database
 * on the same server (created here, always dropped) it applies the history up to the current version, then for
 * each pending script: apply it, run its undo script (the schema must equal the one before), apply it again (the
 * schema must equal the one after). The first script that breaks is reported with the step and the diff; the
 * scripts after it are not checked, since the scratch database no longer stands for the real one.
 */
public final class ReversibilityProver {

    private static final Logger LOG = Logger.getLogger(ReversibilityProver.class);

    private final DatabaseConnector connector;
    private final SchemaCatalog catalog;
    private final SluiceConfig.Migrate settings;

    public ReversibilityProver(DatabaseConnector connector, SchemaCatalog catalog, SluiceConfig.Migrate settings) {
        this.connector = connector;
        this.catalog = catalog;
        this.settings = settings;
    }

    /**
     * Proves every pending versioned script, each from the state the scripts before it leave. A broken script does
     * not end the proof: the scratch state is rebuilt from the scripts up to that version, in a new scratch
     * database, and the next script is proven from there, so one run reports every broken script. Only a script that
     * cannot even be applied stops it (no later state can be built).
     */
    public List<ReversibilityCheck> prove(ValidateRequest request, ScriptSet scripts, String current, List<PlannedScript> pending) {
        MigrationVersion upTo = pending.stream().filter(script -> script.version() != null)
                .map(script -> MigrationVersion.fromVersion(script.version())).max(MigrationVersion::compareTo)
                .orElse(current == null ? null : MigrationVersion.fromVersion(current));
        Optional<ScratchScripts.Refusal> refusal = ScratchScripts.refusal(scripts, upTo, true);
        if (refusal.isPresent()) {
            return pending.stream().filter(script -> script.version() != null).map(script -> new ReversibilityCheck(script.script(),
                    script.undoScript(), null, null, refusal.get().message(), List.of(), 0)).toList();
        }
        SessionSettings session = SessionSettings.from(settings, null, null);
        UndoRunner undo = new UndoRunner(RetryPolicy.of(settings, settings.lockTimeout(), Backoff.THREAD_SLEEP));
        List<ReversibilityCheck> checks = new ArrayList<>();
        String unbuildable = null;
        ScratchDatabase scratch = null;
        try {
            scratch = scratchAt(request, scripts, session, current);
            LOG.infof("proving reversibility of %d pending script(s) in scratch database %s", pending.size(), scratch.name());
            for (PlannedScript script : pending) {
                if (script.version() == null) {
                    continue;
                }
                if (unbuildable != null) {
                    checks.add(new ReversibilityCheck(script.script(), script.undoScript(), null, null,
                            "not checked: " + unbuildable + " cannot be applied, so no later state can be built", List.of(), 0));
                    continue;
                }
                long started = System.nanoTime();
                ReversibilityCheck check;
                DataSource dataSource = scratch.dataSource();
                try (Connection connection = dataSource.getConnection()) {
                    check = proveOne(scratch, connection, dataSource, session, undo, request, scripts, script);
                } catch (SQLException e) {
                    if (scratch.exceeded().isEmpty()) {
                        throw e;
                    }
                    // Past a bound nothing more is tried: the scratch database takes no session any more.
                    checks.add(broken(script, "apply", "not provable: " + scratch.exceeded().get(), List.of()));
                    unbuildable = script.script();
                    continue;
                }
                if ("apply".equals(check.failedStep())) {
                    unbuildable = script.script();
                } else if (Boolean.FALSE.equals(check.reversible())) {
                    scratch.close();
                    scratch = null;
                    scratch = scratchAt(request, scripts, session, script.version());
                }
                checks.add(withDuration(check, (System.nanoTime() - started) / 1_000_000));
            }
            return checks;
        } catch (NotBuilt e) {
            // The state a proof starts from cannot be built: no pending script is proven, each says why.
            List<String> done = checks.stream().map(ReversibilityCheck::script).toList();
            pending.stream().filter(script -> script.version() != null && !done.contains(script.script()))
                    .forEach(script -> checks.add(new ReversibilityCheck(script.script(), script.undoScript(), null, null,
                            "not provable: " + e.getMessage(), List.of(), 0)));
            return checks;
        } catch (SQLException e) {
            throw new IllegalStateException("the reversibility proof lost its scratch database: SQLSTATE " + e.getSQLState(), e);
        } finally {
            closeQuietly(scratch);
        }
    }

    /** A new scratch database with the scripts applied up to {@code version} (none when null). */
    private ScratchDatabase scratchAt(ValidateRequest request, ScriptSet scripts, SessionSettings session, String version)
            throws SQLException {
        ScratchDatabase scratch = ScratchDatabase.create(connector, request, "proveReversible");
        if (version != null) {
            try {
                migrateTo(scratch.dataSource(), scripts, request, session, version);
            } catch (FlywayException e) {
                String why = scratch.replayFailure("the reversibility proof's replay", version, e);
                closeQuietly(scratch);
                throw new NotBuilt(why);
            } catch (RuntimeException e) {
                closeQuietly(scratch);
                throw e;
            }
        }
        return scratch;
    }

    /** The scripts up to a version could not be applied in a scratch database; the message says why, as a caller is told. */
    private static final class NotBuilt extends RuntimeException {
        NotBuilt(String why) {
            super(why, null, false, false);
        }
    }

    private static void closeQuietly(ScratchDatabase scratch) {
        if (scratch == null) {
            return;
        }
        try {
            scratch.close();
        } catch (SQLException e) {
            LOG.warnf("could not drop scratch database %s: SQLSTATE %s (the next run that makes one drops it once stale)", scratch.name(),
                    e.getSQLState());
        }
    }

    private static ReversibilityCheck withDuration(ReversibilityCheck check, long millis) {
        return new ReversibilityCheck(check.script(), check.undoScript(), check.reversible(), check.failedStep(), check.message(),
                check.differences(), millis);
    }

    private ReversibilityCheck proveOne(ScratchDatabase scratch, Connection connection, DataSource dataSource, SessionSettings session,
            UndoRunner undo, ValidateRequest request, ScriptSet scripts, PlannedScript script) throws SQLException {
        MigrationVersion version = MigrationVersion.fromVersion(script.version());
        Optional<Script> undoScript = scripts.undoFor(version);
        Snapshot before = catalog.read(connection);
        try {
            migrateTo(dataSource, scripts, request, session, script.version());
        } catch (FlywayException e) {
            return broken(script, "apply", script.script() + " failed in the scratch database: " + scratch.failure(e), List.of());
        }
        Snapshot after = catalog.read(connection);
        if (undoScript.isEmpty()) {
            return broken(script, "undo", script.script() + " has no undo script", List.of());
        }
        try {
            HistoryRow row = HistoryRow.appliedNewestFirst(connection, request.schema()).get(0);
            undo.undo(connection, request.schema(), row, undoScript.get(), scripts.isTransactional(undoScript.get()),
                    Instant.now().plus(settings.statementTimeout()));
        } catch (SQLException e) {
            return broken(script, "undo", undoScript.get().path() + " failed: " + scratch.failure(e), List.of());
        }
        List<SchemaDifference> undoDiff = SchemaDiff.between(before, catalog.read(connection));
        if (!undoDiff.isEmpty()) {
            return broken(script, "undo", undoScript.get().path() + " does not bring the schema back to what it was before "
                    + script.script() + " (" + undoDiff.size() + " difference(s))", undoDiff);
        }
        try {
            migrateTo(dataSource, scripts, request, session, script.version());
        } catch (FlywayException e) {
            return broken(script, "reapply", script.script() + " cannot be applied again after its undo script: "
                    + scratch.failure(e), List.of());
        }
        List<SchemaDifference> reapplyDiff = SchemaDiff.between(after, catalog.read(connection));
        if (!reapplyDiff.isEmpty()) {
            return broken(script, "reapply", "applying " + script.script() + " again after " + undoScript.get().path()
                    + " gives another schema (" + reapplyDiff.size() + " difference(s))", reapplyDiff);
        }
        return new ReversibilityCheck(script.script(), undoScript.get().path(), true, null,
                "apply, undo and re-apply give the expected schema each time", List.of(), 0);
    }

    private static void migrateTo(DataSource dataSource, ScriptSet scripts, ValidateRequest request, SessionSettings session,
            String version) {
        FlywaySetup.create(dataSource, scripts, request.schema(), TargetVersion.parse(version), session).migrate();
    }

    private static ReversibilityCheck broken(PlannedScript script, String step, String message, List<SchemaDifference> differences) {
        return new ReversibilityCheck(script.script(), script.undoScript(), false, step, message, differences, 0);
    }
}
