package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.error.DriftDetected;
import io.sluice.error.ValidationFailed;
import io.sluice.error.InvalidRequest;
import io.sluice.event.FileLocation;
import io.sluice.event.Finding;
import io.sluice.event.FindingCode;
import io.sluice.event.MigrationSource;
import io.sluice.event.ReversibilityCheck;
import io.sluice.event.SchemaDifference;
import io.sluice.event.SettingCheck;
import io.sluice.event.UndoPolicy;
import io.sluice.event.RollbackRequest;
import io.sluice.event.TargetVersion;
import io.sluice.event.ValidateMode;
import io.sluice.event.ValidateReport;
import io.sluice.event.ValidateRequest;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.SettingLimits;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;
import io.sluice.testing.MigrateEvent;

class ValidateModesTest {

    private TestDatabase db;

    @BeforeEach
    void newDatabase() {
        db = PostgresServer.get().newDatabase();
    }

    private void migrate(MigrationSource source) {
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(source).build(), Duration.ofMinutes(2));
    }

    private ValidateReport validate(ValidateMode mode, MigrationSource source, FileLocation contract, Boolean failOnDrift) {
        return Sluice.validate().run(ValidateEvent.against(db.target()).migrations(source).contract(contract).failOnDrift(failOnDrift)
                .in(mode));
    }

    @Test
    void postMigrate_afterASluiceMigrate_isValid_andTheBundledContractHolds() {
        migrate(MigrationSource.DEFAULT);

        ValidateReport report = validate(ValidateMode.POST_MIGRATE, MigrationSource.DEFAULT,
                FileLocation.parse("classpath:db/contract/app.json"), null);

        assertThat(report.valid()).isTrue();
        assertThat(report.findings()).isEmpty();
        assertThat(report.snapshotVersion()).isEqualTo("4");
        assertThat(report.snapshotSha256()).hasSize(64);
        assertThat(report.differences()).isEmpty();
        assertThat(report.drift()).isNull();
    }

    @Test
    void postMigrate_contractOutsideTheRoots_isRefused_andNoContentIsEchoed() {
        migrate(MigrationSource.DEFAULT);

        assertThatThrownBy(() -> validate(ValidateMode.POST_MIGRATE, MigrationSource.DEFAULT,
                FileLocation.parse("filesystem:/proc/self/environ"), null))
                .isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("field 'contract': filesystem:/proc/self/environ is outside the folders this function may read");
    }

    @Test
    void postMigrate_contractThatIsNotJson_isReportedWithoutItsContents(@TempDir Path dir) throws Exception {
        migrate(MigrationSource.DEFAULT);
        Path contract = dir.resolve(".env");
        Files.writeString(contract, "AWS_SECRET_ACCESS_KEY=abc123\n");

        assertThatThrownBy(() -> validate(ValidateMode.POST_MIGRATE, MigrationSource.DEFAULT,
                FileLocation.parse("filesystem:" + contract), null))
                .isInstanceOf(InvalidRequest.class)
                .hasMessage("field 'contract': filesystem:" + contract + " is not a JSON contract (error at line 1, column 1)");
    }

    @Test
    void postMigrate_reportsContractViolationsAndExtraColumns(@TempDir Path dir) throws Exception {
        migrate(MigrationSource.DEFAULT);
        Path contract = dir.resolve("contract.json");
        Files.writeString(contract, "{\"tables\": {\"customers\": {\"id\": \"int\", \"email\": \"varchar(254)\", \"nickname\": \"text\","
                + " \"full_name\": \"*\", \"created_at\": \"timestamptz\"}, \"invoices\": {\"id\": \"bigint\"}}}");

        ValidateReport report = validate(ValidateMode.POST_MIGRATE, MigrationSource.DEFAULT,
                FileLocation.parse("filesystem:" + contract), null);

        assertThat(report.valid()).isFalse();
        assertThat(report.findings()).extracting(Finding::code, Finding::expected, Finding::actual).containsExactlyInAnyOrder(
                tuple(FindingCode.CONTRACT_VIOLATION, "int", "bigint"),
                tuple(FindingCode.CONTRACT_VIOLATION, "varchar(254)", "text"),
                tuple(FindingCode.CONTRACT_VIOLATION, "text", "missing"),
                tuple(FindingCode.CONTRACT_VIOLATION, "table", "missing"));
    }

    @Test
    void postMigrate_onADatabaseSluiceNeverMigrated_saysThereIsNoSnapshot() {
        db.sql("CREATE TABLE legacy (id int)");

        ValidateReport report = validate(ValidateMode.POST_MIGRATE, MigrationSource.DEFAULT, null, null);

        assertThat(report.valid()).isFalse();
        assertThat(report.findings()).extracting(Finding::code).containsExactly(FindingCode.NO_SNAPSHOT);
    }

    @Test
    void postMigrate_atAVersionPassedMidRun_comparesWithTheSchemaRebuiltFromTheScripts() {
        migrate(MigrationSource.DEFAULT);
        Sluice.rollback().run(new RollbackRequest(null, db.target(), null, null, null, TargetVersion.parse("2"), "test", null, false,
                null, null), Duration.ofMinutes(1));

        ValidateReport report = validate(ValidateMode.POST_MIGRATE, MigrationSource.DEFAULT, null, null);

        assertThat(report.currentVersion()).isEqualTo("2");
        assertThat(report.snapshotRebuilt()).isTrue();
        assertThat(report.valid()).isTrue();
        assertThat(report.differences()).isEmpty();
    }

    @Test
    void drift_cleanSchema_isNoDrift() {
        migrate(MigrationSource.DEFAULT);

        ValidateReport report = validate(ValidateMode.DRIFT, MigrationSource.DEFAULT, null, true);

        assertThat(report.drift()).isFalse();
        assertThat(report.valid()).isTrue();
        assertThat(report.reconcileScript()).isEmpty();
    }

    @Test
    void drift_changesOutsideMigrations_areListedWithTheSqlThatUndoesThem() {
        migrate(MigrationSource.DEFAULT);
        db.sql("ALTER TABLE orders ADD COLUMN coupon text");
        db.sql("DROP INDEX orders_customer_id_idx");
        db.sql("ALTER TABLE customers ALTER COLUMN full_name DROP NOT NULL");

        ValidateReport report = validate(ValidateMode.DRIFT, MigrationSource.DEFAULT, null, null);

        assertThat(report.drift()).isTrue();
        assertThat(report.valid()).isFalse();
        assertThat(report.differences()).extracting(SchemaDifference::kind, SchemaDifference::name, SchemaDifference::change)
                .containsExactly(
                        tuple("column", "public.orders.coupon", SchemaDifference.Change.ADDED),
                        tuple("column", "public.customers.full_name", SchemaDifference.Change.CHANGED),
                        tuple("index", "public.orders_customer_id_idx", SchemaDifference.Change.REMOVED));
        assertThat(report.reconcileScript()).isEqualTo("""
                ALTER TABLE public.orders DROP COLUMN coupon;
                ALTER TABLE public.customers ALTER COLUMN full_name SET NOT NULL;
                CREATE INDEX CONCURRENTLY orders_customer_id_idx ON public.orders USING btree (customer_id);
                """);

        for (String statement : report.reconcileScript().split("\n")) {
            db.sql(statement);
        }
        assertThat(validate(ValidateMode.DRIFT, MigrationSource.DEFAULT, null, null).drift()).isFalse();
    }

    @Test
    void drift_aNameHoldingALineBreak_plantsNoStatementInTheReconcileScript() {
        migrate(MigrationSource.DEFAULT);
        db.sql("ALTER TABLE orders ADD CONSTRAINT \"u\nDROP TABLE customers; --\" UNIQUE (id)");

        ValidateReport report = validate(ValidateMode.DRIFT, MigrationSource.DEFAULT, null, null);

        assertThat(report.reconcileScript()).isEqualTo("""
                -- index public."u\\nDROP TABLE customers; --" ADDED: belongs to a constraint; follows it
                ALTER TABLE public.orders DROP CONSTRAINT "u
                DROP TABLE customers; --";
                """);
        db.sql(report.reconcileScript());
        assertThat(db.tableExists("customers")).as("the planted DROP TABLE never ran").isTrue();
        assertThat(validate(ValidateMode.DRIFT, MigrationSource.DEFAULT, null, null).drift()).isFalse();
    }

    @Test
    void drift_withFailOnDrift_raisesDriftDetected() {
        migrate(MigrationSource.DEFAULT);
        db.sql("CREATE TABLE shadow_copy (id int)");

        assertThatThrownBy(() -> validate(ValidateMode.DRIFT, MigrationSource.DEFAULT, null, true))
                .isInstanceOf(DriftDetected.class)
                .hasMessageContaining("table public.shadow_copy ADDED");
    }

    @Test
    void config_checksEveryRule_andFailsOnErrors() {
        ValidateReport report = Sluice.validate().run(ValidateEvent.against(db.target()).requiredExtensions(List.of("pg_trgm", "no_such_extension"))
                .instanceMemoryMb(1024).config());

        assertThat(report.valid()).isFalse();
        assertThat(report.settings()).extracting(SettingCheck::rule).contains("max-connections", "shared-buffers",
                "effective-cache-size", "work-mem", "maintenance-work-mem", "wal-level", "max-wal-size", "autovacuum", "ssl",
                "password-encryption", "idle-in-transaction-timeout", "slow-query-log", "required-extension");
        assertThat(report.settings()).filteredOn(check -> check.rule().equals("max-connections")).singleElement()
                .satisfies(check -> assertThat(check.ok()).isTrue());
        assertThat(report.settings()).filteredOn(check -> check.rule().equals("ssl")).singleElement().satisfies(check -> {
            assertThat(check.ok()).isFalse();
            assertThat(check.severity()).isEqualTo(Finding.Severity.ERROR);
            assertThat(check.recommendation()).contains("rds.force_ssl");
        });
        assertThat(report.settings()).filteredOn(check -> check.rule().equals("password-encryption")).singleElement()
                .satisfies(check -> assertThat(check.ok()).isTrue());
        assertThat(report.settings()).filteredOn(check -> check.rule().equals("shared-buffers")).singleElement()
                .satisfies(check -> assertThat(check.message()).contains("128 MB").contains("13% of memory"));
        assertThat(report.settings()).filteredOn(check -> check.rule().equals("required-extension"))
                .extracting(SettingCheck::setting, SettingCheck::ok, SettingCheck::value).containsExactly(
                        tuple("extension pg_trgm", false, "available, not installed"),
                        tuple("extension no_such_extension", false, "not available"));
    }

    @Test
    void config_thresholdsComeFromConfiguration() {
        ValidateRequest request = ValidateEvent.against(db.target()).config();

        assertThat(Sluice.validate().run(request).settings()).filteredOn(check -> check.rule().equals("max-connections"))
                .singleElement().satisfies(check -> assertThat(check.ok()).isTrue());
        assertThat(Sluice.validate(UndoPolicy.WARN, new SettingLimits(100, 0.15, 0.40, 256, 64, 1024)).run(request).settings())
                .filteredOn(check -> check.rule().equals("max-connections")).singleElement()
                .satisfies(check -> assertThat(check.message()).contains("max_connections (120) exceeds the recommended 100"));
    }

    @Test
    void proveReversible_goodUndoScripts_areProvenOneByOne_andTheScratchDatabaseIsDropped() {
        migrate(MigrationSource.DEFAULT);

        ValidateReport report = Sluice.validate().run(ValidateEvent.against(db.target()).proveReversible().preflight());

        assertThat(report.reversibility()).isEmpty();
        // now from an empty database: every bundled script is pending and proven
        TestDatabase empty = PostgresServer.get().newDatabase();
        ValidateReport fresh = Sluice.validate().run(ValidateEvent.against(empty.target()).proveReversible().preflight());
        assertThat(fresh.valid()).isTrue();
        assertThat(fresh.reversibility()).extracting(ReversibilityCheck::script, ReversibilityCheck::reversible).containsExactly(
                tuple("V1__create_customers.sql", true), tuple("V2__create_orders.sql", true),
                tuple("V3__index_orders_by_status.sql", true), tuple("V4__customer_order_totals_view.sql", true));
        assertThat(empty.rows("SELECT datname FROM pg_database WHERE datname LIKE 'sluice_scratch_%'")).isEmpty();
        assertThat(empty.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void proveReversible_reportsEveryBrokenScript_goingOnFromTheStateTheScriptsBuild(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__accounts.sql", "CREATE TABLE accounts (id int PRIMARY KEY);").with("U1__accounts.sql", "DROP TABLE accounts;");
        migrate(folder.source());
        folder.with("V2__accounts_email.sql", "ALTER TABLE accounts ADD COLUMN email text;\nCREATE UNIQUE INDEX accounts_email_key"
                        + " ON accounts (email);")
                .with("U2__accounts_email.sql", "DROP INDEX accounts_email_key;")
                .with("V3__audit.sql", "CREATE TABLE audit (id int);").with("U3__audit.sql", "DROP TABLE audit;")
                .with("V4__audit_note.sql", "ALTER TABLE audit ADD COLUMN note text;").with("U4__audit_note.sql", "SELECT 1;")
                .with("V5__broken.sql", "ALTER TABLE no_such_table ADD COLUMN x int;").with("U5__broken.sql", "SELECT 1;")
                .with("V6__after.sql", "CREATE TABLE after_all (id int);").with("U6__after.sql", "DROP TABLE after_all;");

        ValidateReport report = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(folder.source()).proveReversible().preflight());

        assertThat(report.valid()).isFalse();
        assertThat(report.findings()).extracting(Finding::code, Finding::script).containsExactlyInAnyOrder(
                tuple(FindingCode.NOT_REVERSIBLE, "V2__accounts_email.sql"),
                tuple(FindingCode.NOT_REVERSIBLE, "V4__audit_note.sql"),
                tuple(FindingCode.NOT_REVERSIBLE, "V5__broken.sql"));
        assertThat(report.reversibility()).extracting(ReversibilityCheck::script, ReversibilityCheck::reversible,
                ReversibilityCheck::failedStep).containsExactly(
                        tuple("V2__accounts_email.sql", false, "undo"),
                        tuple("V3__audit.sql", true, null),
                        tuple("V4__audit_note.sql", false, "undo"),
                        tuple("V5__broken.sql", false, "apply"),
                        tuple("V6__after.sql", null, null));
        assertThat(report.reversibility().get(4).message())
                .isEqualTo("not checked: V5__broken.sql cannot be applied, so no later state can be built");
        assertThat(report.reversibility()).allSatisfy(check -> assertThat(check.durationMs()).isNotNegative());
        assertThat(report.reversibility().get(0).differences()).extracting(SchemaDifference::summary)
                .containsExactly("column public.accounts.email ADDED");
        assertThat(report.reversibility().get(0).message()).contains("U2__accounts_email.sql does not bring the schema back");
        // the real database is untouched
        assertThat(db.history()).hasSize(1);
        assertThatThrownBy(() -> Sluice.validate().run(ValidateEvent.against(db.target()).migrations(folder.source()).proveReversible()
                .failOnInvalid(true).preflight()))
                .isInstanceOf(ValidationFailed.class).hasMessageContaining("NOT_REVERSIBLE V2__accounts_email.sql");
    }
}
