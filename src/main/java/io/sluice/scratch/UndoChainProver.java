package io.sluice.scratch;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;

import io.sluice.catalog.SchemaCatalog;
import io.sluice.catalog.SchemaDiff;
import io.sluice.config.SluiceConfig;
import io.sluice.event.RollbackRequest;
import io.sluice.event.SchemaDifference;
import io.sluice.event.TargetVersion;
import io.sluice.event.UndoProof;
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
 * The proof a rollback dry run offers: in a scratch database built from the scripts up to the current version, run
 * the undo chain down to the target, newest first, and say where it would fail; if it gets through, compare the
 * schema it reached with the target's. The real database is only read.
 */
public final class UndoChainProver {

    private final DatabaseConnector connector;
    private final SchemaCatalog catalog;
    private final SluiceConfig.Migrate settings;

    public UndoChainProver(DatabaseConnector connector, SchemaCatalog catalog, SluiceConfig.Migrate settings) {
        this.connector = connector;
        this.catalog = catalog;
        this.settings = settings;
    }

    /**
     * @param steps    the undo steps, newest first, each with its undo script (the plan has no blockers of that kind)
     * @param expected the target's schema (recorded or rebuilt)
     */
    public List<UndoProof> prove(RollbackRequest request, ScriptSet scripts, String current, List<HistoryRow> steps,
            ExpectedSchema.Expected expected) throws SQLException {
        SessionSettings session = SessionSettings.from(settings, request.lockTimeout(), null);
        UndoRunner runner = new UndoRunner(RetryPolicy.of(settings, session.lockTimeout().duration(), Backoff.THREAD_SLEEP));
        Optional<ScratchScripts.Refusal> refusal = ScratchScripts.refusal(scripts, MigrationVersion.fromVersion(current), true);
        if (refusal.isPresent()) {
            return List.of(new UndoProof(current, refusal.get().script(), false, refusal.get().message(), 0));
        }
        List<UndoProof> proof = new ArrayList<>();
        try (ScratchDatabase scratch = ScratchDatabase.create(connector, request, "a rollback proof")) {
            DataSource dataSource = scratch.dataSource();
            try {
                FlywaySetup.create(dataSource, scripts, request.schema(), TargetVersion.parse(current), session).migrate();
            } catch (FlywayException e) {
                return List.of(new UndoProof(current, null, false, "not provable: " + scratch.replayFailure("the rollback proof's replay",
                        current, e), 0));
            }
            try (Connection connection = dataSource.getConnection()) {
                for (HistoryRow row : steps) {
                    Script undo = scripts.undoFor(row.version()).orElseThrow();
                    long started = System.nanoTime();
                    try {
                        HistoryRow scratchRow = HistoryRow.appliedNewestFirst(connection, request.schema()).get(0);
                        runner.undo(connection, request.schema(), scratchRow, undo, scripts.isTransactional(undo),
                                Instant.now().plus(settings.statementTimeout()));
                        proof.add(new UndoProof(row.version().getVersion(), undo.path(), true, "ran", millis(started)));
                    } catch (SQLException | RuntimeException e) {
                        proof.add(new UndoProof(row.version().getVersion(), undo.path(), false, "would fail: " + scratch.failure(e),
                                millis(started)));
                        return proof;
                    }
                }
                long started = System.nanoTime();
                List<SchemaDifference> differences = SchemaDiff.between(expected.snapshot(), catalog.read(connection));
                proof.add(new UndoProof(expected.version(), null, differences.isEmpty(), differences.isEmpty()
                        ? "the schema reached equals the target's" + (expected.rebuilt() ? " (rebuilt from the scripts)" : "")
                        : "the schema reached differs from the target's: " + differences.stream().map(SchemaDifference::summary)
                                .collect(Collectors.joining("; ")), millis(started)));
            }
        }
        return proof;
    }

    private static long millis(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
