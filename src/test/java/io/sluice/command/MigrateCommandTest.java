package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.error.InvalidRequest;
import io.sluice.error.MigrationFailed;
import io.sluice.error.ValidationFailed;
import io.sluice.event.AppliedScript;
import io.sluice.event.MigrateReport;
import io.sluice.event.MigrateRequest;
import io.sluice.event.MigrateStatus;
import io.sluice.event.MigrationSource;
import io.sluice.event.PlannedScript;
import io.sluice.event.SchemaName;
import io.sluice.event.TargetVersion;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.MigrateEvent;

class MigrateCommandTest {

    private static final Duration LAMBDA_TIME = Duration.ofMinutes(5);

    private TestDatabase db;

    @BeforeEach
    void newDatabase() {
        db = PostgresServer.get().newDatabase();
    }

    private MigrateRequest request(MigrationSource source, TargetVersion target, boolean dryRun) {
        return MigrateEvent.against(db.target()).migrations(source).target(target).dryRun(dryRun).build();
    }

    private MigrateReport migrate(MigrationSource source) {
        return Sluice.migrate().run(request(source, null, false), LAMBDA_TIME);
    }

    @Test
    void freshDatabase_appliesEveryBundledScriptInOrder() {
        MigrateReport report = migrate(MigrationSource.DEFAULT);

        assertThat(report.status()).isEqualTo(MigrateStatus.MIGRATED);
        assertThat(report.versionBefore()).isNull();
        assertThat(report.versionAfter()).isEqualTo("4");
        assertThat(report.applied()).extracting(AppliedScript::script).containsExactly(
                "V1__create_customers.sql", "V2__create_orders.sql", "V3__index_orders_by_status.sql",
                "V4__customer_order_totals_view.sql");
        assertThat(report.applied()).extracting(AppliedScript::transactional).containsExactly(true, true, false, true);
        assertThat(report.applied()).allSatisfy(script -> assertThat(script.executionMs()).isGreaterThanOrEqualTo(0));
        assertThat(report.lockRetries()).isEmpty();
        assertThat(db.history()).containsExactly(
                "1|V1__create_customers.sql|t", "2|V2__create_orders.sql|t", "3|V3__index_orders_by_status.sql|t",
                "4|V4__customer_order_totals_view.sql|t");
        assertThat(db.rows("SELECT indisvalid FROM pg_index WHERE indexrelid = 'orders_status_idx'::regclass"))
                .containsExactly("t");
    }

    @Test
    void aWarmCommand_thatFoundNothingToDo_answersFromTheHistoryAlone_butNeverMissesAChangedHistoryOrScriptsOrAnInvalidIndex(
            @TempDir Path folder) {
        MigrateCommand warm = Sluice.migrate();
        MigrationSource scripts = new ScriptFolder(folder).with("V1__t.sql", "CREATE TABLE t (id int);").source();
        MigrateReport first = warm.run(request(scripts, null, false), LAMBDA_TIME);
        MigrateReport slow = warm.run(request(scripts, null, false), LAMBDA_TIME);
        MigrateReport fast = warm.run(request(scripts, null, false), LAMBDA_TIME);

        assertThat(first.status()).isEqualTo(MigrateStatus.MIGRATED);
        assertThat(List.of(slow, fast)).allSatisfy(report -> {
            assertThat(report.status()).isEqualTo(MigrateStatus.UP_TO_DATE);
            assertThat(report.versionBefore()).isEqualTo("1");
            assertThat(report.versionAfter()).isEqualTo("1");
            assertThat(report.plan()).isEmpty();
            assertThat(report.snapshotSha256()).as("the snapshot recorded for version 1").isEqualTo(first.snapshotSha256());
        });

        // Someone edits the history by hand: the fingerprint differs, Flyway's check runs and refuses.
        db.sql("UPDATE flyway_schema_history SET checksum = checksum + 1 WHERE version = '1'");
        assertThatThrownBy(() -> warm.run(request(scripts, null, false), LAMBDA_TIME)).isInstanceOf(ValidationFailed.class)
                .hasMessageContaining("the history does not match the scripts");
        db.sql("UPDATE flyway_schema_history SET checksum = checksum - 1 WHERE version = '1'");
        assertThat(warm.run(request(scripts, null, false), LAMBDA_TIME).status()).isEqualTo(MigrateStatus.UP_TO_DATE);

        // An INVALID index appears between two warm calls: refused as on the full path.
        db.sql("CREATE TABLE dup (id int); INSERT INTO dup VALUES (1), (1)");
        try (var connection = db.connect(); var statement = connection.createStatement()) {
            statement.execute("CREATE UNIQUE INDEX CONCURRENTLY dup_id ON dup (id)");
        } catch (java.sql.SQLException expected) {
            // left INVALID
        }
        assertThatThrownBy(() -> warm.run(request(scripts, null, false), LAMBDA_TIME)).isInstanceOf(ValidationFailed.class)
                .hasMessageContaining("cannot be migrated while").hasMessageContaining("dup_id");
        db.sql("DROP INDEX dup_id");

        // A new script: other scripts, another digest, the full path applies it.
        new ScriptFolder(folder).with("V2__u.sql", "CREATE TABLE u (id int);");
        MigrateReport added = warm.run(request(scripts, null, false), LAMBDA_TIME);
        assertThat(added.status()).isEqualTo(MigrateStatus.MIGRATED);
        assertThat(added.versionAfter()).isEqualTo("2");
    }

    @Test
    void secondInvocation_changesNothing() {
        migrate(MigrationSource.DEFAULT);
        List<String> historyAfterFirst = db.rows("SELECT * FROM flyway_schema_history ORDER BY installed_rank");

        MigrateReport second = migrate(MigrationSource.DEFAULT);

        assertThat(second.status()).isEqualTo(MigrateStatus.UP_TO_DATE);
        assertThat(second.versionBefore()).isEqualTo("4");
        assertThat(second.versionAfter()).isEqualTo("4");
        assertThat(second.applied()).isEmpty();
        assertThat(db.rows("SELECT * FROM flyway_schema_history ORDER BY installed_rank")).isEqualTo(historyAfterFirst);
    }

    @Test
    void target_stopsAtThatVersion_andALaterRunContinuesFromThere() {
        MigrateReport first = Sluice.migrate().run(request(MigrationSource.DEFAULT, TargetVersion.parse("2"), false), LAMBDA_TIME);

        assertThat(first.versionAfter()).isEqualTo("2");
        assertThat(first.plan()).extracting(PlannedScript::version).containsExactly("1", "2");
        assertThat(db.tableExists("orders")).isTrue();
        assertThat(db.rows("SELECT 1 FROM pg_class WHERE relname = 'orders_status_idx'")).isEmpty();

        MigrateReport rest = migrate(MigrationSource.DEFAULT);
        assertThat(rest.versionBefore()).isEqualTo("2");
        assertThat(rest.applied()).extracting(AppliedScript::version).containsExactly("3", "4");
    }

    @Test
    void targetUnknownOrBelowCurrent_isRejectedAndChangesNothing() {
        assertThatThrownBy(() -> Sluice.migrate().run(request(MigrationSource.DEFAULT, TargetVersion.parse("9"), false), LAMBDA_TIME))
                .isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("no script")
                .hasMessageContaining("latest is 4");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();

        migrate(MigrationSource.DEFAULT);
        assertThatThrownBy(() -> Sluice.migrate().run(request(MigrationSource.DEFAULT, TargetVersion.parse("2"), false), LAMBDA_TIME))
                .isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("below the current version 4")
                .hasMessageContaining("rollback");
    }

    @Test
    void dryRun_returnsThePlan_andChangesNothing() {
        List<String> before = db.schemaFingerprint();

        MigrateReport report = Sluice.migrate().run(request(MigrationSource.DEFAULT, null, true), LAMBDA_TIME);

        assertThat(report.status()).isEqualTo(MigrateStatus.PLANNED);
        assertThat(report.applied()).isEmpty();
        assertThat(report.plan()).extracting(PlannedScript::script, PlannedScript::transactional, PlannedScript::undoScript)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("V1__create_customers.sql", true, "U1__create_customers.sql"),
                        org.assertj.core.groups.Tuple.tuple("V2__create_orders.sql", true, "U2__create_orders.sql"),
                        org.assertj.core.groups.Tuple.tuple("V3__index_orders_by_status.sql", false, "U3__index_orders_by_status.sql"),
                        org.assertj.core.groups.Tuple.tuple("V4__customer_order_totals_view.sql", true, "U4__customer_order_totals_view.sql"));
        assertThat(report.plan()).allSatisfy(script -> assertThat(script.checksum()).isNotZero());
        assertThat(db.schemaFingerprint()).isEqualTo(before);
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void failingScript_leavesSchemaAndHistoryAsBefore_andTheErrorNamesIt(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__accounts.sql", "CREATE TABLE accounts (id bigint PRIMARY KEY, name text NOT NULL);")
                .with("V2__broken.sql", """
                        ALTER TABLE accounts ADD COLUMN balance numeric NOT NULL DEFAULT 0;
                        CREATE TABLE ledger (id bigint PRIMARY KEY);
                        INSERT INTO ledger SELECT 1 / 0;
                        """);
        folder.without("V2__broken.sql");
        migrate(folder.source());
        List<String> schemaBefore = db.schemaFingerprint();
        List<String> historyBefore = db.history();
        folder.with("V2__broken.sql", """
                ALTER TABLE accounts ADD COLUMN balance numeric NOT NULL DEFAULT 0;
                CREATE TABLE ledger (id bigint PRIMARY KEY);
                INSERT INTO ledger SELECT 1 / 0;
                """);

        assertThatThrownBy(() -> migrate(folder.source()))
                .isInstanceOf(MigrationFailed.class)
                .hasMessageContaining("V2__broken.sql failed at line 3")
                .hasMessageContaining("division by zero")
                .hasMessageContaining("rolled back");

        assertThat(db.schemaFingerprint()).isEqualTo(schemaBefore);
        assertThat(db.history()).isEqualTo(historyBefore);
    }

    @Test
    void failingFirstScript_onAFreshDatabase_leavesNoHistoryTable(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir).with("V1__broken.sql", "CREATE TABLE t (id int); SELECT no_such_function();");

        assertThatThrownBy(() -> migrate(folder.source())).isInstanceOf(MigrationFailed.class)
                .hasMessageContaining("V1__broken.sql");

        assertThat(db.tableExists("flyway_schema_history")).isFalse();
        assertThat(db.tableExists("t")).isFalse();
    }

    @Test
    void failingScriptInANewSchema_dropsTheSchemaFlywayCreated(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir).with("V1__broken.sql", "SELECT 1/0;");
        MigrateRequest request = MigrateEvent.against(db
                .target()).migrations(folder.source()).schema(SchemaName.of("billing")).build();

        assertThatThrownBy(() -> Sluice.migrate().run(request, LAMBDA_TIME)).isInstanceOf(MigrationFailed.class);

        assertThat(db.rows("SELECT 1 FROM pg_namespace WHERE nspname = 'billing'")).isEmpty();
    }

    @Test
    void failedConcurrentIndex_isReportedWithTheStatementThatCleansItUp(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__users.sql", "CREATE TABLE users (id int, email text); INSERT INTO users VALUES (1, 'a'), (2, 'a');");
        migrate(folder.source());
        folder.with("V2__unique_email.sql", "CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);");

        assertThatThrownBy(() -> migrate(folder.source()))
                .isInstanceOf(MigrationFailed.class)
                .hasMessageContaining("V2__unique_email.sql failed")
                .hasMessageContaining("outside a transaction")
                .hasMessageContaining("DROP INDEX CONCURRENTLY IF EXISTS public.users_email_key;");

        assertThat(db.rows("SELECT indisvalid FROM pg_index WHERE indexrelid = 'users_email_key'::regclass"))
                .containsExactly("f");
        assertThat(db.history()).containsExactly("1|V1__users.sql|t", "2|V2__unique_email.sql|f");
        // A failed history row blocks the next migrate until it is dealt with: never blindly retried.
        assertThatThrownBy(() -> migrate(folder.source())).isInstanceOf(ValidationFailed.class)
                .hasMessageContaining("failed");
    }

    @Test
    void editedAppliedScript_makesMigrateRefuse(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir).with("V1__t.sql", "CREATE TABLE t (id int);");
        migrate(folder.source());
        folder.with("V1__t.sql", "CREATE TABLE t (id bigint);").with("V2__u.sql", "CREATE TABLE u (id int);");

        assertThatThrownBy(() -> migrate(folder.source()))
                .isInstanceOf(ValidationFailed.class)
                .hasMessageContaining("checksum");
        assertThat(db.tableExists("u")).isFalse();
    }

    @Test
    void statementTimeout_abortsAScript_andNamesTheLimit(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir).with("V1__slow.sql", "CREATE TABLE t (id int); SELECT pg_sleep(5);");
        MigrateRequest request = MigrateEvent.against(db
                .target()).migrations(folder.source()).statementTimeout(io.sluice.event.Timeout.parse("300ms")).build();

        assertThatThrownBy(() -> Sluice.migrate().run(request, LAMBDA_TIME))
                .isInstanceOf(MigrationFailed.class)
                .hasMessageContaining("statement_timeout (300 ms)");
        assertThat(db.tableExists("t")).isFalse();
    }
}
