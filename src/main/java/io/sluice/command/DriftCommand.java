package io.sluice.command;

import java.sql.SQLException;
import java.util.stream.Collectors;

import io.sluice.catalog.SchemaCatalog;
import io.sluice.catalog.SchemaDiff;
import io.sluice.error.DriftDetected;
import io.sluice.event.DriftRequest;
import io.sluice.event.Finding;
import io.sluice.event.SchemaDifference;
import io.sluice.event.ValidateReport;
import io.sluice.scratch.ExpectedSchema;

/**
 * {@code validate} mode {@code drift}, on a schedule: every object changed outside migrations since the snapshot of
 * the current version, with the SQL that reconciles it; {@code DriftDetected} when asked to fail on drift.
 */
final class DriftCommand {

    private final SchemaCatalog catalog;
    private final ExpectedSchema expectedSchema;

    DriftCommand(SchemaCatalog catalog, ExpectedSchema expectedSchema) {
        this.catalog = catalog;
        this.expectedSchema = expectedSchema;
    }

    ValidateReport run(DriftRequest request, Validation validation) throws SQLException {
        SnapshotComparison comparison = SnapshotComparison.of(catalog, expectedSchema, request, validation);
        boolean drift = comparison.stored().isPresent() && !comparison.differences().isEmpty();
        if (drift && request.isFailOnDrift()) {
            throw new DriftDetected("schema " + request.schema() + " drifted from the snapshot of version " + comparison.version()
                    + ": " + comparison.differences().stream().map(SchemaDifference::summary).collect(Collectors.joining("; ")));
        }
        return ValidateReport.of(request, Finding.noErrors(comparison.findings()), validation.currentVersion(),
                validation.pending(), comparison.findings())
                .withComparison(comparison.version(), comparison.storedSha256(), comparison.rebuilt(), drift, comparison.differences(),
                        SchemaDiff.reconcileScript(comparison.differences()));
    }
}
