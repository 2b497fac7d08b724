package io.sluice.command;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.sluice.catalog.SchemaCatalog;
import io.sluice.catalog.SchemaDiff;
import io.sluice.catalog.Snapshot;
import io.sluice.catalog.SnapshotStore;
import io.sluice.error.ScratchReplayFailed;
import io.sluice.event.Finding.Severity;
import io.sluice.event.Finding;
import io.sluice.event.FindingCode;
import io.sluice.event.SchemaDifference;
import io.sluice.event.ValidateRequest;
import io.sluice.scratch.ExpectedSchema;

/**
 * The live schema against the snapshot of its current version, as post-migrate and drift both need it: the
 * differences, the INVALID indexes, and the findings that sum them up.
 *
 * @param live        the schema as it is
 * @param stored      the expected schema of the current version (recorded, or rebuilt from the scripts), when one can be had
 * @param version     the current version's label
 * @param differences what changed, expected → live
 * @param findings    NO_SNAPSHOT, SCHEMA_MISMATCH and INVALID_INDEX findings
 */
record SnapshotComparison(Snapshot live, Optional<ExpectedSchema.Expected> stored, String version,
        List<SchemaDifference> differences, List<Finding> findings) {

    static SnapshotComparison of(SchemaCatalog catalog, ExpectedSchema expectedSchema, ValidateRequest request, Validation validation)
            throws SQLException {
        Snapshot live = catalog.read(validation.connection());
        String current = validation.currentVersion();
        List<Finding> findings = new ArrayList<>(InvalidIndexFindings.of(validation.connection(), request.schema(), current));
        Optional<ExpectedSchema.Expected> stored;
        String replayFailure = null;
        try {
            stored = expectedSchema.of(validation.connection(), request, request.schema(), validation.scripts(), current);
        } catch (ScratchReplayFailed e) {
            stored = Optional.empty();
            replayFailure = e.getMessage();
        }
        List<SchemaDifference> differences = stored.map(s -> SchemaDiff.between(s.snapshot(), live)).orElse(List.of());
        String version = current == null ? SnapshotStore.NO_VERSION : current;
        if (replayFailure != null) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.NO_SNAPSHOT, current, null, "no schema snapshot is recorded for"
                    + " version " + version + " of schema " + request.schema() + ", and it could not be rebuilt: " + replayFailure));
        } else if (stored.isEmpty()) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.NO_SNAPSHOT, current, null, "no schema snapshot is recorded for"
                    + " version " + version + " of schema " + request.schema() + ", and no script of that version exists to rebuild"
                    + " it from. Run migrate once to record the current schema."));
        } else if (!differences.isEmpty()) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.SCHEMA_MISMATCH, current, null, differences.size()
                    + " difference(s) from the snapshot of version " + version + "; see differences and reconcileScript"));
        }
        return new SnapshotComparison(live, stored, version, differences, findings);
    }

    String storedSha256() {
        return stored.map(ExpectedSchema.Expected::sha256).orElse(null);
    }

    /** Whether the expected schema was rebuilt from the scripts (null when there is none). */
    Boolean rebuilt() {
        return stored.map(ExpectedSchema.Expected::rebuilt).orElse(null);
    }
}
