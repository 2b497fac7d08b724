package io.sluice.command;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import io.sluice.catalog.Contract;
import io.sluice.catalog.SchemaCatalog;
import io.sluice.catalog.SchemaDiff;
import io.sluice.event.Finding;
import io.sluice.event.PostMigrateRequest;
import io.sluice.event.ValidateReport;
import io.sluice.files.FileRoots;
import io.sluice.scratch.ExpectedSchema;

/** {@code validate} mode {@code post-migrate}: the live schema equals the snapshot of its version, and the contract holds. */
final class PostMigrateCommand {

    private final SchemaCatalog catalog;
    private final ExpectedSchema expectedSchema;
    private final FileRoots fileRoots;

    PostMigrateCommand(SchemaCatalog catalog, ExpectedSchema expectedSchema, FileRoots fileRoots) {
        this.catalog = catalog;
        this.expectedSchema = expectedSchema;
        this.fileRoots = fileRoots;
    }

    ValidateReport run(PostMigrateRequest request, Validation validation) throws SQLException {
        SnapshotComparison comparison = SnapshotComparison.of(catalog, expectedSchema, request, validation);
        List<Finding> findings = new ArrayList<>(comparison.findings());
        if (request.contract() != null) {
            findings.addAll(Contract.load(request.contract(), fileRoots).check(comparison.live(), request.schema()));
        }
        return ValidateReport.of(request, Finding.noErrors(findings), validation.currentVersion(), validation.pending(), findings)
                .withComparison(comparison.version(), comparison.storedSha256(), comparison.rebuilt(), null, comparison.differences(),
                        SchemaDiff.reconcileScript(comparison.differences()));
    }
}
