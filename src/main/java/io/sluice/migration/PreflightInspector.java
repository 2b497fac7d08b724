package io.sluice.migration;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationState;

import io.sluice.event.Finding;
import io.sluice.event.Finding.Severity;
import io.sluice.event.FindingCode;
import io.sluice.event.UndoPolicy;
import io.sluice.sql.SqlText;
import io.sluice.sql.SqlStatement;

/**
 * Compares the Flyway history with the scripts before a migrate: edited or vanished scripts, failed rows,
 * scripts Flyway would skip, missing undo scripts, and scripts whose names Flyway would silently ignore.
 */
public final class PreflightInspector {

    private PreflightInspector() {
    }

    public static List<Finding> inspect(MigrationInfoService info, ScriptSet scripts, UndoPolicy undoPolicy) {
        List<Finding> findings = new ArrayList<>();
        for (MigrationInfo migration : info.all()) {
            inspectHistory(migration, findings);
            if (migration.getState() == MigrationState.PENDING) {
                inspectPending(migration, scripts, undoPolicy, findings);
            }
        }
        inspectNames(scripts, findings);
        findings.sort(Comparator.comparing(Finding::severity));
        return findings;
    }

    private static void inspectHistory(MigrationInfo migration, List<Finding> findings) {
        String version = version(migration);
        String script = migration.getScript();
        MigrationState state = migration.getState();
        if (state.isFailed()) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.FAILED_MIGRATION, version, script,
                    script + " failed when it was applied on " + migration.getInstalledOn() + "; clean up what it left"
                            + " behind, then remove its row from flyway_schema_history before migrating."));
            return;
        }
        if (state == MigrationState.MISSING_SUCCESS) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.MISSING_LOCALLY, version, script,
                    script + " is applied in the database but missing from the scripts; restore it unchanged."));
        } else if (state == MigrationState.FUTURE_SUCCESS) {
            findings.add(Finding.of(Severity.WARNING, FindingCode.DATABASE_AHEAD, version, script,
                    script + " is applied but newer than every script: this looks like an older release."));
        } else if (state == MigrationState.IGNORED) {
            findings.add(Finding.of(Severity.ERROR, FindingCode.OUT_OF_ORDER, version, script,
                    script + " is pending but a higher version is already applied; Flyway will not apply it."
                            + " Give it a version above the current one."));
        } else if (migration.isApplied() && migration.getResolvedChecksum() != null && !migration.isChecksumMatching()) {
            findings.add(new Finding(Severity.ERROR, FindingCode.CHECKSUM_MISMATCH, version, script,
                    script + " was changed after it was applied; restore the applied text and put the change in a"
                            + " new migration.",
                    String.valueOf(migration.getAppliedChecksum()), String.valueOf(migration.getResolvedChecksum())));
        } else if (migration.isApplied() && migration.getResolvedDescription() != null && !migration.isDescriptionMatching()) {
            findings.add(new Finding(Severity.ERROR, FindingCode.DESCRIPTION_MISMATCH, version, script,
                    script + " was renamed after it was applied; restore its name.",
                    migration.getAppliedDescription(), migration.getResolvedDescription()));
        }
    }

    private static void inspectPending(MigrationInfo migration, ScriptSet scripts, UndoPolicy policy, List<Finding> findings) {
        Script script = scripts.find(migration.getScript()).orElse(null);
        if (script == null) {
            return;
        }
        if (migration.getVersion() != null && policy != UndoPolicy.OFF && scripts.undoFor(migration.getVersion()).isEmpty()) {
            findings.add(Finding.of(policy == UndoPolicy.ERROR ? Severity.ERROR : Severity.WARNING, FindingCode.UNDO_MISSING,
                    version(migration), script.path(), script.path() + " has no undo script; add U"
                            + migration.getVersion() + "__" + script.fileName().substring(script.fileName().indexOf("__") + 2)
                            + " that reverses it."));
        }
        if (!scripts.isTransactional(script) && SqlText.split(script.content()).stream()
                .anyMatch(statement -> !Transactionality.needsAutocommit(statement) && !isSessionSetting(statement))) {
            findings.add(Finding.of(Severity.WARNING, FindingCode.NON_ATOMIC_SCRIPT, version(migration), script.path(),
                    script.path() + " must run outside a transaction and holds other statements too: if one fails,"
                            + " the ones before it stay applied. Keep such a statement in a script of its own."));
        }
    }

    private static void inspectNames(ScriptSet scripts, List<Finding> findings) {
        for (Script script : scripts.ofKind(Script.Kind.UNRECOGNISED)) {
            findings.add(Finding.of(Severity.WARNING, FindingCode.UNRECOGNISED_NAME, null, script.path(),
                    script.path() + " is not named V<version>__<desc>.sql, U<version>__<desc>.sql or R__<desc>.sql;"
                            + " Flyway ignores it."));
        }
        for (Script undo : scripts.ofKind(Script.Kind.UNDO)) {
            if (scripts.versioned(undo.version()).isEmpty()) {
                findings.add(Finding.of(Severity.WARNING, FindingCode.ORPHAN_UNDO, undo.version().getVersion(), undo.path(),
                        undo.path() + " undoes version " + undo.version() + " but no V script has that version."));
            }
        }
    }

    private static boolean isSessionSetting(SqlStatement statement) {
        String normalized = statement.normalized();
        return normalized.startsWith("SET ") || normalized.startsWith("RESET ");
    }

    private static String version(MigrationInfo migration) {
        return migration.getVersion() == null ? null : migration.getVersion().getVersion();
    }
}
