package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.error.ValidationFailed;
import io.sluice.event.Finding;
import io.sluice.event.Finding.Severity;
import io.sluice.event.FindingCode;
import io.sluice.event.PlannedScript;
import io.sluice.event.UndoPolicy;
import io.sluice.event.ValidateMode;
import io.sluice.event.ValidateReport;
import io.sluice.event.ValidateRequest;
import io.sluice.testing.SettingLimits;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;
import io.sluice.testing.MigrateEvent;

class ValidateCommandTest {

    private TestDatabase db;
    private ScriptFolder folder;

    @BeforeEach
    void setUp(@TempDir Path dir) {
        db = PostgresServer.get().newDatabase();
        folder = new ScriptFolder(dir)
                .with("V1__accounts.sql", "CREATE TABLE accounts (id int PRIMARY KEY);")
                .with("U1__accounts.sql", "DROP TABLE accounts;")
                .with("V2__audit.sql", "CREATE TABLE audit (id int);")
                .with("U2__audit.sql", "DROP TABLE audit;");
    }

    private void migrate() {
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(folder.source()).build(),
                Duration.ofMinutes(1));
    }

    private ValidateReport preflight(UndoPolicy policy, boolean failOnInvalid) {
        return Sluice.validate().run(ValidateEvent.against(db.target()).migrations(folder.source()).undoPolicy(policy)
                .failOnInvalid(failOnInvalid).preflight());
    }

    @Test
    void cleanHistoryWithPendingScripts_isValid_andListsThePending() {
        migrate();
        folder.with("V3__index.sql", "CREATE INDEX CONCURRENTLY audit_id_idx ON audit (id);")
                .with("U3__index.sql", "DROP INDEX CONCURRENTLY audit_id_idx;");

        ValidateReport report = preflight(null, false);

        assertThat(report.valid()).isTrue();
        assertThat(report.currentVersion()).isEqualTo("2");
        assertThat(report.findings()).isEmpty();
        assertThat(report.pending()).extracting(PlannedScript::script, PlannedScript::transactional, PlannedScript::undoScript)
                .containsExactly(tuple("V3__index.sql", false, "U3__index.sql"));
    }

    @Test
    void aWarmValidate_keepsFlywaysView_onlyWhileTheScriptsAndTheHistoryStayTheSame() {
        ValidateCommand warm = Sluice.validate();
        java.util.function.Supplier<ValidateReport> preflight = () -> warm.run(ValidateEvent.against(db.target())
                .migrations(folder.source()).preflight());
        ValidateReport empty = preflight.get();
        migrate();
        ValidateReport migrated = preflight.get();
        ValidateReport again = preflight.get();
        folder.with("V3__index.sql", "CREATE INDEX CONCURRENTLY audit_id_idx ON audit (id);")
                .with("U3__index.sql", "DROP INDEX CONCURRENTLY audit_id_idx;");
        ValidateReport newScript = preflight.get();
        db.sql("UPDATE flyway_schema_history SET checksum = 7 WHERE version = '1'");
        ValidateReport editedHistory = preflight.get();
        db.sql("DELETE FROM flyway_schema_history WHERE version = '2'");
        ValidateReport rowRemoved = preflight.get();

        assertThat(empty.pending()).extracting(PlannedScript::script).containsExactly("V1__accounts.sql", "V2__audit.sql");
        assertThat(List.of(migrated, again)).allSatisfy(report -> {
            assertThat(report.currentVersion()).isEqualTo("2");
            assertThat(report.pending()).isEmpty();
        });
        assertThat(newScript.pending()).extracting(PlannedScript::script).containsExactly("V3__index.sql");
        assertThat(editedHistory.valid()).isFalse();
        assertThat(editedHistory.findings()).extracting(Finding::code).contains(FindingCode.CHECKSUM_MISMATCH);
        assertThat(rowRemoved.currentVersion()).isEqualTo("1");
        assertThat(rowRemoved.pending()).extracting(PlannedScript::script).containsExactly("V2__audit.sql", "V3__index.sql");
    }

    @Test
    void tamperedScript_isReportedWithExpectedAndActualChecksums() {
        migrate();
        folder.with("V1__accounts.sql", "CREATE TABLE accounts (id bigint PRIMARY KEY);");

        ValidateReport report = preflight(null, false);

        assertThat(report.valid()).isFalse();
        assertThat(report.findings()).singleElement().satisfies(finding -> {
            assertThat(finding.code()).isEqualTo(FindingCode.CHECKSUM_MISMATCH);
            assertThat(finding.severity()).isEqualTo(Severity.ERROR);
            assertThat(finding.script()).isEqualTo("V1__accounts.sql");
            assertThat(finding.expected()).isNotEqualTo(finding.actual());
            assertThat(finding.expected()).isEqualTo(db.rows("SELECT checksum FROM flyway_schema_history WHERE version = '1'").get(0));
        });
    }

    @Test
    void scriptAppliedButMissingLocally_isReported() {
        migrate();
        folder.without("V2__audit.sql").without("U2__audit.sql").with("V3__later.sql", "SELECT 1;")
                .with("U3__later.sql", "SELECT 1;");

        ValidateReport report = preflight(null, false);

        assertThat(report.findings()).extracting(Finding::code, Finding::version)
                .contains(tuple(FindingCode.MISSING_LOCALLY, "2"));
        assertThat(report.valid()).isFalse();
    }

    @Test
    void failedRowInHistory_isReported() {
        migrate();
        db.sql("UPDATE flyway_schema_history SET success = false WHERE version = '2'");

        ValidateReport report = preflight(null, false);

        assertThat(report.findings()).extracting(Finding::code, Finding::script)
                .contains(tuple(FindingCode.FAILED_MIGRATION, "V2__audit.sql"));
    }

    @Test
    void pendingScriptBelowTheCurrentVersion_isOutOfOrder() {
        migrate();
        folder.with("V1_5__between.sql", "CREATE TABLE between_t (id int);").with("U1_5__between.sql", "DROP TABLE between_t;");

        ValidateReport report = preflight(null, false);

        assertThat(report.findings()).extracting(Finding::code, Finding::version, Finding::severity)
                .containsExactly(tuple(FindingCode.OUT_OF_ORDER, "1.5", Severity.ERROR));
    }

    @Test
    void missingUndoScript_followsThePolicy() {
        folder.without("U2__audit.sql");

        assertThat(preflight(UndoPolicy.WARN, false)).satisfies(report -> {
            assertThat(report.valid()).isTrue();
            assertThat(report.findings()).extracting(Finding::code, Finding::severity, Finding::script)
                    .containsExactly(tuple(FindingCode.UNDO_MISSING, Severity.WARNING, "V2__audit.sql"));
            assertThat(report.findings().get(0).message()).contains("U2__audit.sql");
        });
        assertThat(preflight(UndoPolicy.ERROR, false).valid()).isFalse();
        assertThat(preflight(UndoPolicy.OFF, false).findings()).isEmpty();
    }

    @Test
    void defaultUndoPolicy_comesFromConfiguration() {
        folder.without("U2__audit.sql");
        ValidateCommand strict = Sluice.validate(UndoPolicy.ERROR, SettingLimits.defaults());

        ValidateReport report = strict.run(ValidateEvent.against(db.target()).migrations(folder.source()).preflight());

        assertThat(report.valid()).isFalse();
    }

    @Test
    void failOnInvalid_raisesValidationFailed_namingTheProblem() {
        migrate();
        folder.with("V2__audit.sql", "CREATE TABLE audit (id bigint);");

        assertThatThrownBy(() -> preflight(null, true))
                .isInstanceOf(ValidationFailed.class)
                .hasMessageContaining("CHECKSUM_MISMATCH V2__audit.sql");
    }

    @Test
    void misnamedAndOrphanScripts_areWarnings() {
        folder.with("V3_missing_separator.sql", "SELECT 1;").with("U9__nothing.sql", "SELECT 1;");

        ValidateReport report = preflight(null, false);

        assertThat(report.valid()).isTrue();
        assertThat(report.findings()).extracting(Finding::code, Finding::script).containsExactlyInAnyOrder(
                tuple(FindingCode.UNRECOGNISED_NAME, "V3_missing_separator.sql"),
                tuple(FindingCode.ORPHAN_UNDO, "U9__nothing.sql"));
    }

    @Test
    void concurrentIndexScriptWithOtherStatements_isFlaggedNonAtomic() {
        folder.with("V3__mixed.sql", "SET lock_timeout = '1s';\nCREATE TABLE x (id int);\nCREATE INDEX CONCURRENTLY x_idx ON x (id);")
                .with("U3__mixed.sql", "DROP TABLE x;");

        ValidateReport report = preflight(null, false);

        assertThat(report.findings()).extracting(Finding::code, Finding::script)
                .containsExactly(tuple(FindingCode.NON_ATOMIC_SCRIPT, "V3__mixed.sql"));
    }

    @Test
    void validate_neverWritesToTheDatabase() {
        preflight(null, false);

        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void preflight_lintsEveryPendingScript_andAnErrorFindingMakesItInvalid() {
        migrate();
        folder.with("V3__drop_audit.sql", "ALTER TABLE accounts ADD COLUMN note varchar(20);\nDROP TABLE audit;")
                .with("U3__drop_audit.sql", "CREATE TABLE audit (id int);\nALTER TABLE accounts DROP COLUMN note;");

        ValidateReport report = preflight(null, false);

        assertThat(report.valid()).isFalse();
        assertThat(report.findings()).isEmpty();
        assertThat(report.lint().scripts()).as("the pending script and the undo script a rollback of it runs").isEqualTo(2);
        assertThat(report.lint().findings()).extracting(f -> f.rule(), f -> f.script(), f -> f.line()).containsExactly(
                tuple("prefer-text-field", "V3__drop_audit.sql", 1), tuple("ban-drop-table", "V3__drop_audit.sql", 2),
                tuple("prefer-bigint-over-int", "U3__drop_audit.sql", 1));
        assertThat(report.lint().changeClass()).isEqualTo("destructive");
        assertThat(report.lint().approvalsRequired()).isEqualTo(3);
        assertThatThrownBy(() -> preflight(null, true)).isInstanceOf(ValidationFailed.class)
                .hasMessageContaining("lint ban-drop-table V3__drop_audit.sql:2");
    }
}
