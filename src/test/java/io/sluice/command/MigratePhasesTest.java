package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.error.InvalidRequest;
import io.sluice.error.MigrationFailed;
import io.sluice.error.ValidationFailed;
import io.sluice.event.AppliedScript;
import io.sluice.event.Finding;
import io.sluice.event.MigratePhase;
import io.sluice.event.MigrateReport;
import io.sluice.event.MigrateRequest;
import io.sluice.event.MigrateStatus;
import io.sluice.event.Phase;
import io.sluice.event.PlannedScript;
import io.sluice.event.ValidateReport;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;

/** Expand and contract: which pending scripts each phase of a migrate applies, and preflight's check of their order. */
class MigratePhasesTest {

    private static final Duration LAMBDA_TIME = Duration.ofMinutes(5);

    private TestDatabase db;
    private ScriptFolder scripts;

    @BeforeEach
    void release(@TempDir Path dir) {
        db = PostgresServer.get().newDatabase();
        scripts = new ScriptFolder(dir)
                .with("V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, full_name text);")
                .with("V2__add_name.sql", "ALTER TABLE customers ADD COLUMN name text;")
                .with("V3__drop_full_name.sql", "-- Release 42, after the application reads name.\n-- sluice:phase contract\n"
                        + "ALTER TABLE customers DROP COLUMN full_name;")
                .with("V4__comment.sql", "--sluice:phase   contract\nCOMMENT ON COLUMN customers.name IS 'as the customer writes it';");
    }

    private MigrateReport migrate(MigratePhase phase, boolean dryRun) {
        MigrateRequest request = MigrateEvent.against(db.target()).migrations(scripts.source()).phase(phase).dryRun(dryRun).build();
        return Sluice.migrate().run(request, LAMBDA_TIME);
    }

    @Test
    void expandByDefault_stopsBeforeTheFirstContractScript_thenContractAppliesTheRest() {
        MigrateReport expand = migrate(null, false);

        assertThat(expand.phase()).isEqualTo(MigratePhase.EXPAND);
        assertThat(expand.applied()).extracting(AppliedScript::script).containsExactly("V1__customers.sql", "V2__add_name.sql");
        assertThat(expand.versionAfter()).isEqualTo("2");
        assertThat(expand.contractPending()).isEqualTo(2);
        assertThat(db.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'customers' ORDER BY 1"))
                .containsExactly("full_name", "id", "name");

        MigrateReport plan = migrate(MigratePhase.CONTRACT, true);
        assertThat(plan.status()).isEqualTo(MigrateStatus.PLANNED);
        assertThat(plan.plan()).extracting(PlannedScript::script, PlannedScript::phase).containsExactly(
                org.assertj.core.groups.Tuple.tuple("V3__drop_full_name.sql", Phase.CONTRACT),
                org.assertj.core.groups.Tuple.tuple("V4__comment.sql", Phase.CONTRACT));
        assertThat(migrate(null, false).status()).isEqualTo(MigrateStatus.UP_TO_DATE);

        MigrateReport contract = migrate(MigratePhase.CONTRACT, false);

        assertThat(contract.applied()).extracting(AppliedScript::script).containsExactly("V3__drop_full_name.sql", "V4__comment.sql");
        assertThat(contract.phase()).isEqualTo(MigratePhase.CONTRACT);
        assertThat(contract.contractPending()).isZero();
        assertThat(db.history()).containsExactly("1|V1__customers.sql|t", "2|V2__add_name.sql|t", "3|V3__drop_full_name.sql|t",
                "4|V4__comment.sql|t");
    }

    @Test
    void contractWhileExpandScriptsArePending_isRefused_andChangesNothing() {
        assertThatThrownBy(() -> migrate(MigratePhase.CONTRACT, false)).isInstanceOf(ValidationFailed.class)
                .hasMessage("migrate phase contract: 2 expand script(s) are pending (V1__customers.sql, ...); run migrate with phase"
                        + " expand first. Nothing was migrated.");
        assertThat(db.rows("SELECT to_regclass('customers') IS NULL")).containsExactly("t");
    }

    @Test
    void all_appliesEveryPendingScript() {
        MigrateReport report = migrate(MigratePhase.ALL, false);

        assertThat(report.versionAfter()).isEqualTo("4");
        assertThat(report.contractPending()).isZero();
        assertThat(report.phase()).isEqualTo(MigratePhase.ALL);
    }

    @Test
    void aFailingContractScript_leavesSchemaAndHistoryAsBeforeIt() {
        scripts.with("V3__drop_full_name.sql", "-- sluice:phase contract\nALTER TABLE customers DROP COLUMN full_name;\n"
                + "ALTER TABLE customers DROP COLUMN no_such_column;");
        migrate(MigratePhase.EXPAND, false);

        assertThatThrownBy(() -> migrate(MigratePhase.CONTRACT, false)).isInstanceOf(MigrationFailed.class)
                .hasMessageContaining("V3__drop_full_name.sql");
        assertThat(db.history()).containsExactly("1|V1__customers.sql|t", "2|V2__add_name.sql|t");
        assertThat(db.rows("SELECT column_name FROM information_schema.columns WHERE table_name = 'customers' ORDER BY 1"))
                .containsExactly("full_name", "id", "name");
    }

    @Test
    void preflight_refusesAContractScriptFollowedByAnExpandScript_namingBoth() {
        scripts.with("V5__add_email.sql", "ALTER TABLE customers ADD COLUMN email text;");

        ValidateReport report = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(scripts.source()).preflight());

        assertThat(report.valid()).isFalse();
        assertThat(report.findings()).filteredOn(finding -> finding.code().name().equals("PHASE_ORDER"))
                .extracting(Finding::severity, Finding::script, Finding::message).containsExactly(org.assertj.core.groups.Tuple.tuple(
                        Finding.Severity.ERROR, "V5__add_email.sql", "contract script V3__drop_full_name.sql comes before expand"
                                + " script V5__add_email.sql: contract scripts run after every expand script of a release, once the"
                                + " new application serves all traffic. Give V5__add_email.sql a version below 3, or declare it"
                                + " '-- sluice:phase contract'"));
        assertThat(report.pending()).extracting(PlannedScript::phase)
                .containsExactly(Phase.EXPAND, Phase.EXPAND, Phase.CONTRACT, Phase.CONTRACT, Phase.EXPAND);
    }

    @Test
    void aDeclarationThatNamesNoPhase_stopsTheLoad_andAnUnknownPhaseInTheEventIsATypedError() {
        scripts.with("V3__drop_full_name.sql", "-- sluice:phase contarct\nALTER TABLE customers DROP COLUMN full_name;");

        assertThatThrownBy(() -> migrate(null, false)).isInstanceOf(InvalidRequest.class)
                .hasMessage("V3__drop_full_name.sql: '-- sluice:phase contarct' names no phase; write '-- sluice:phase expand' or"
                        + " '-- sluice:phase contract'");
        assertThat(db.rows("SELECT to_regclass('customers') IS NULL")).containsExactly("t");
        assertThatThrownBy(() -> new ObjectMapper().readValue("{\"phase\":\"everything\",\"database\":" + db.targetJson() + "}",
                MigrateRequest.class)).hasRootCauseInstanceOf(InvalidRequest.class)
                .rootCause().hasMessage("field 'phase' must be one of expand, contract, all, got 'everything'");
    }
}
