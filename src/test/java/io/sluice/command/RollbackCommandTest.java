package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.catalog.SchemaDiff;
import io.sluice.catalog.Snapshot;
import io.sluice.catalog.SnapshotStore;
import io.sluice.error.InvalidRequest;
import io.sluice.error.RollbackFailed;
import io.sluice.event.AppliedScript;
import io.sluice.event.MigrationSource;
import io.sluice.event.RollbackReport;
import io.sluice.event.RollbackRequest;
import io.sluice.event.RollbackStatus;
import io.sluice.event.SchemaName;
import io.sluice.event.TargetVersion;
import io.sluice.event.UndoProof;
import io.sluice.event.UndoStep;
import io.sluice.testing.LongHistory;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.MigrateEvent;

class RollbackCommandTest {

    private static final Duration LAMBDA_TIME = Duration.ofMinutes(5);

    private TestDatabase db;

    @BeforeEach
    void newDatabase() {
        db = PostgresServer.get().newDatabase();
    }

    private void migrate(MigrationSource source, String target) {
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(source).target(TargetVersion.parse(target)).build(),
                LAMBDA_TIME);
    }

    private RollbackReport rollback(MigrationSource source, String target, boolean dryRun) {
        return Sluice.rollback().run(new RollbackRequest(null, db.target(), source, null, null, TargetVersion.parse(target),
                "test: " + target, "tester", dryRun, null, null), LAMBDA_TIME);
    }

    private RollbackReport provenPlan(MigrationSource source, String target) {
        return Sluice.rollback().run(new RollbackRequest(null, db.target(), source, null, null, TargetVersion.parse(target),
                "test: " + target, "tester", true, null, true), LAMBDA_TIME);
    }

    private Snapshot live() throws Exception {
        try (Connection connection = db.connect()) {
            return Sluice.catalog().read(connection);
        }
    }

    private Snapshot recorded(String version) throws Exception {
        try (Connection connection = db.connect()) {
            return Sluice.catalog().store().latest(connection, SchemaName.PUBLIC, version).orElseThrow().snapshot();
        }
    }

    @Test
    void longHistory_upThenDownToTheMiddleAndToTheStart_matchesTheRecordedSnapshotsEachTime(@TempDir Path dir) throws Exception {
        ScriptFolder folder = LongHistory.write(new ScriptFolder(dir));
        Snapshot empty = live();
        migrate(folder.source(), "latest");
        Snapshot top = live();
        assertThat(db.history()).hasSize(LongHistory.VERSIONS);
        // Snapshots at the run's boundaries only: before the first script and after the last.
        assertThat(db.rows("SELECT version FROM sluice.schema_snapshot ORDER BY id")).containsExactly("0",
                String.valueOf(LongHistory.VERSIONS));

        RollbackReport toMiddle = rollback(folder.source(), "20", false);

        assertThat(toMiddle.status()).isEqualTo(RollbackStatus.ROLLED_BACK);
        assertThat(toMiddle.verified()).isTrue();
        assertThat(toMiddle.snapshotRebuilt()).as("version 20 was passed mid-run, so its schema was rebuilt").isTrue();
        assertThat(toMiddle.undone()).extracting(AppliedScript::version)
                .containsExactly("36", "35", "34", "33", "32", "31", "30", "29", "28", "27", "26", "25", "24", "23", "22", "21");
        assertThat(toMiddle.snapshotSha256()).isEqualTo(live().withoutInvalidIndexes().sha256());
        assertThat(db.history()).hasSize(20);
        // Data-preserving undo scripts kept the data: names joined back, seeds still there.
        assertThat(db.rows("SELECT full_name FROM person1 ORDER BY id")).containsExactly("Ada Lovelace", "Alan Turing");
        assertThat(db.rows("SELECT count(*) FROM item1")).containsExactly("50");

        migrate(folder.source(), "latest");
        assertThat(SchemaDiff.between(top, live())).isEmpty();

        RollbackReport toStart = rollback(folder.source(), "0", false);

        assertThat(toStart.undone()).hasSize(LongHistory.VERSIONS);
        assertThat(toStart.snapshotRebuilt()).as("version 0 was recorded before the first script").isFalse();
        assertThat(SchemaDiff.between(empty, live())).isEmpty();
        assertThat(db.history()).isEmpty();
        assertThat(db.rows("SELECT result, from_version, to_version, requested_by FROM sluice.rollback_audit ORDER BY id"))
                .containsExactly("ROLLED_BACK|36|20|tester", "ROLLED_BACK|36|0|tester");
    }

    @Test
    void dryRun_showsThePlan_andChangesNothing() {
        migrate(MigrationSource.DEFAULT, "latest");
        List<String> history = db.history();

        RollbackReport plan = rollback(MigrationSource.DEFAULT, "2", true);

        assertThat(plan.status()).isEqualTo(RollbackStatus.PLANNED);
        assertThat(plan.plan()).extracting(UndoStep::version, UndoStep::undoScript, UndoStep::transactional).containsExactly(
                org.assertj.core.groups.Tuple.tuple("4", "U4__customer_order_totals_view.sql", true),
                org.assertj.core.groups.Tuple.tuple("3", "U3__index_orders_by_status.sql", false));
        assertThat(plan.blockers()).isEmpty();
        assertThat(plan.auditId()).isNull();
        assertThat(db.history()).isEqualTo(history);
        assertThat(db.rows("SELECT count(*) FROM sluice.rollback_audit")).containsExactly("0");
    }

    @Test
    void missingUndoScript_refusesBeforeChangingAnything_andIsAudited(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__a.sql", "CREATE TABLE a (id int);").with("U1__a.sql", "DROP TABLE a;")
                .with("V2__b.sql", "CREATE TABLE b (id int);")
                .with("V3__c.sql", "CREATE TABLE c (id int);").with("U3__c.sql", "DROP TABLE c;");
        migrate(folder.source(), "latest");

        assertThat(rollback(folder.source(), "1", true).blockers()).singleElement().asString().contains("version 2 (V2__b.sql)");
        assertThatThrownBy(() -> rollback(folder.source(), "1", false))
                .isInstanceOf(RollbackFailed.class)
                .hasMessageContaining("nothing was changed")
                .hasMessageContaining("version 2 (V2__b.sql) has no undo script");

        assertThat(db.tableExists("c")).isTrue();
        assertThat(db.history()).hasSize(3);
        assertThat(db.rows("SELECT result FROM sluice.rollback_audit")).containsExactly("REFUSED");
    }

    @Test
    void anotherReleasesBundle_isRefusedBeforeAnyUndoRuns_inTheDryRunAndForReal(@TempDir Path dir) {
        ScriptFolder applied = new ScriptFolder(dir.resolve("release-7"))
                .with("V1__customers.sql", "CREATE TABLE customers (id int);").with("U1__customers.sql", "DROP TABLE customers;")
                .with("V2__notes.sql", "CREATE TABLE notes (id int);").with("U2__notes.sql", "DROP TABLE notes;");
        migrate(applied.source(), "latest");
        db.sql("INSERT INTO customers VALUES (1)");
        // Another release's bundle: its V2 made another table, and its U2 drops the one that matters here.
        ScriptFolder other = new ScriptFolder(dir.resolve("release-9"))
                .with("V1__customers.sql", "CREATE TABLE customers (id int);").with("U1__customers.sql", "DROP TABLE customers;")
                .with("V2__ledger.sql", "CREATE TABLE ledger (id int);")
                .with("U2__ledger.sql", "DROP TABLE customers; CREATE TABLE customers (id int); DROP TABLE notes;");

        String blocker = "version 2 was applied by V2__notes.sql, but " + other.source() + " has V2__ledger.sql at that version:"
                + " its undo scripts belong to another release";
        assertThat(rollback(other.source(), "1", true).blockers()).containsExactly(blocker);
        assertThatThrownBy(() -> rollback(other.source(), "1", false)).isInstanceOf(RollbackFailed.class)
                .hasMessage("cannot roll back schema public from 2 to 1, nothing was changed: " + blocker);

        assertThat(db.rows("SELECT id FROM customers")).containsExactly("1");
        assertThat(db.tableExists("notes")).isTrue();
        assertThat(db.history()).hasSize(2);
    }

    @Test
    void aVersionWhoseScriptWasEditedSinceItRan_isRefused_forItsUndoWasNotWrittenForIt(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__a.sql", "CREATE TABLE a (id int);").with("U1__a.sql", "DROP TABLE a;")
                .with("V2__b.sql", "CREATE TABLE b (id int);").with("U2__b.sql", "DROP TABLE b;");
        migrate(folder.source(), "latest");
        folder.with("V2__b.sql", "CREATE TABLE b (id int, note text);");

        assertThat(rollback(folder.source(), "1", true).blockers()).singleElement().asString()
                .matches("version 2 was applied by V2__b\\.sql with checksum -?\\d+, but " + java.util.regex.Pattern.quote(
                        folder.source().toString()) + " holds it with checksum -?\\d+: another text than the one applied, which its"
                        + " undo script was not written for");
        assertThatThrownBy(() -> rollback(folder.source(), "1", false)).isInstanceOf(RollbackFailed.class)
                .hasMessageContaining("nothing was changed: version 2 was applied by V2__b.sql with checksum");
        assertThat(db.tableExists("b")).isTrue();
    }

    @Test
    void undoScriptThatDoesNotFullyReverse_failsVerification_namingTheDifference(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__a.sql", "CREATE TABLE a (id int);").with("U1__a.sql", "DROP TABLE a;")
                .with("V2__a_note.sql", "ALTER TABLE a ADD COLUMN note text; CREATE INDEX a_note_idx ON a (note);")
                .with("U2__a_note.sql", "DROP INDEX a_note_idx;");
        migrate(folder.source(), "latest");

        assertThatThrownBy(() -> rollback(folder.source(), "1", false))
                .isInstanceOf(RollbackFailed.class)
                .hasMessageContaining("column public.a.note ADDED")
                .hasMessageContaining("ALTER TABLE public.a DROP COLUMN note;");

        assertThat(db.rows("SELECT result FROM sluice.rollback_audit")).containsExactly("VERIFICATION_FAILED");
    }

    @Test
    void failingUndoScript_stopsThere_keepingTheVersionsAlreadyUndone(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__a.sql", "CREATE TABLE a (id int);").with("U1__a.sql", "DROP TABLE a;")
                .with("V2__b.sql", "CREATE TABLE b (id int);").with("U2__b.sql", "DROP TABLE no_such_table;")
                .with("V3__c.sql", "CREATE TABLE c (id int);").with("U3__c.sql", "DROP TABLE c;");
        migrate(folder.source(), "latest");

        assertThatThrownBy(() -> rollback(folder.source(), "1", false))
                .isInstanceOf(RollbackFailed.class)
                .hasMessageContaining("U2__b.sql failed")
                .hasMessageContaining("the schema is at version 2")
                .hasMessageContaining("undone before it: U3__c.sql")
                .hasMessageContaining("the schema equals that of version 2 (rebuilt from the scripts)");

        assertThat(db.history()).extracting(row -> row.split("\\|")[0]).containsExactly("1", "2");
        assertThat(db.tableExists("c")).isFalse();
        assertThat(db.tableExists("b")).isTrue();
        assertThat(db.rows("SELECT result FROM sluice.rollback_audit")).containsExactly("FAILED");
    }

    @Test
    void undoOutsideATransactionFailingHalfWay_reportsHowTheSchemaDiffersFromTheVersionWhereItStopped(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__b.sql", "CREATE TABLE b (id int);").with("U1__b.sql", "DROP TABLE b;")
                .with("V2__b_idx.sql", "CREATE INDEX CONCURRENTLY b_idx ON b (id);")
                .with("U2__b_idx.sql", "DROP INDEX CONCURRENTLY b_idx;\nDROP TABLE no_such_table;");
        migrate(folder.source(), "latest");

        assertThatThrownBy(() -> rollback(folder.source(), "1", false))
                .isInstanceOf(RollbackFailed.class)
                .hasMessageContaining("U2__b_idx.sql failed")
                .hasMessageContaining("statements before the failing one stay applied")
                .hasMessageContaining("the schema differs from that of version 2: index public.b_idx REMOVED")
                .hasMessageContaining("CREATE INDEX CONCURRENTLY");
        assertThat(db.history()).extracting(row -> row.split("\\|")[0]).containsExactly("1", "2");
    }

    /**
     * A real history's first script uses what the database had before it (a function in another schema, made by hand):
     * the scratch database that rebuilds a version has no such thing, so the replay fails. The caller gets a typed
     * error naming the replay, the version, the script and line, the server's message and how to give the scratch
     * database the prerequisite, and nothing in the database changes; with the setup script the same rollback works.
     */
    @Test
    void aPrerequisiteOutsideTheManagedSchema_failsTheRebuildTyped_changingNothing_andASetupScriptGivesIt(@TempDir Path dir)
            throws Exception {
        try (Connection connection = db.connect(); java.sql.Statement sql = connection.createStatement()) {
            sql.execute("CREATE SCHEMA util");
            sql.execute("CREATE FUNCTION util.slug(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower($1) $$");
        }
        ScriptFolder folder = new ScriptFolder(dir.resolve("migration"))
                .with("V1__repos.sql", "CREATE TABLE repos (id bigint PRIMARY KEY, name text);\n"
                        + "CREATE INDEX repos_slug ON repos (util.slug(name));").with("U1__repos.sql", "DROP TABLE repos;")
                .with("V2__stars.sql", "CREATE TABLE stars (repo_id bigint);").with("U2__stars.sql", "DROP TABLE stars;")
                .with("V3__forks.sql", "CREATE TABLE forks (repo_id bigint);").with("U3__forks.sql", "DROP TABLE forks;");
        migrate(folder.source(), "latest");
        List<String> history = db.history();
        String audits = "SELECT count(*) FROM sluice.rollback_audit";

        assertThatThrownBy(() -> rollback(folder.source(), "2", false))
                .isInstanceOf(io.sluice.error.ScratchReplayFailed.class)
                .hasMessageStartingWith("cannot roll back schema public from 3 to 2, nothing was changed: rebuilding the schema of version 2:"
                        + " the scripts up to version 2 cannot be applied in a scratch database on ")
                .hasMessageContaining(": V1__repos.sql line 2: SQLSTATE 3F000 (invalid_schema_name): schema \"util\" does not exist")
                .hasMessageContaining("goes in a setup script (sluice.scratch.setup-script, a file under sluice.files.roots");
        assertThat(db.history()).isEqualTo(history);
        assertThat(db.tableExists("forks")).isTrue();
        assertThat(db.rows(audits)).containsExactly("1");
        RollbackReport proven = provenPlan(folder.source(), "2");
        assertThat(proven.blockers()).singleElement().asString().startsWith("not provable: rebuilding the schema of version 2: ");

        Path setup = dir.resolve("scratch-setup.sql");
        Files.writeString(setup, "CREATE SCHEMA util;\n"
                + "CREATE FUNCTION util.slug(text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT lower($1) $$;\n");
        var connector = Sluice.connector().withScratchSetup(new io.sluice.migration.DatabaseConnector.ScratchSetup(setup.toString(),
                () -> { try { return Files.readString(setup); } catch (java.io.IOException e) { throw new java.io.UncheckedIOException(e); } }));
        RollbackReport done = Sluice.rollback(connector).run(new RollbackRequest(null, db.target(), folder.source(), null, null,
                TargetVersion.parse("2"), "test: 2", "tester", false, null, null), LAMBDA_TIME);
        assertThat(done.status()).isEqualTo(RollbackStatus.ROLLED_BACK);
        assertThat(db.tableExists("forks")).isFalse();
        assertThat(db.tableExists("stars")).isTrue();
    }

    @Test
    void dryRunWithProof_runsTheUndoChainInAScratchDatabase_andShowsItReachesTheTarget() {
        migrate(MigrationSource.DEFAULT, "latest");
        List<String> history = db.history();

        RollbackReport plan = provenPlan(MigrationSource.DEFAULT, "2");

        assertThat(plan.status()).isEqualTo(RollbackStatus.PLANNED);
        assertThat(plan.blockers()).isEmpty();
        assertThat(plan.proof()).extracting(UndoProof::version, UndoProof::undoScript, UndoProof::ok).containsExactly(
                org.assertj.core.groups.Tuple.tuple("4", "U4__customer_order_totals_view.sql", true),
                org.assertj.core.groups.Tuple.tuple("3", "U3__index_orders_by_status.sql", true),
                org.assertj.core.groups.Tuple.tuple("2", null, true));
        assertThat(plan.proof().get(2).message()).isEqualTo("the schema reached equals the target's (rebuilt from the scripts)");
        assertThat(db.history()).isEqualTo(history);
    }

    @Test
    void dryRunWithProof_saysWhereTheUndoChainWouldFail_beforeAnythingChanges(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__a.sql", "CREATE TABLE a (id int);").with("U1__a.sql", "DROP TABLE a;")
                .with("V2__b.sql", "CREATE TABLE b (id int);").with("U2__b.sql", "DROP TABLE no_such_table;")
                .with("V3__c.sql", "CREATE TABLE c (id int);").with("U3__c.sql", "DROP TABLE c;");
        migrate(folder.source(), "latest");

        RollbackReport plan = provenPlan(folder.source(), "0");

        assertThat(plan.proof()).extracting(UndoProof::version, UndoProof::ok).containsExactly(
                org.assertj.core.groups.Tuple.tuple("3", true), org.assertj.core.groups.Tuple.tuple("2", false));
        assertThat(plan.blockers()).containsExactly("U2__b.sql would fail: SQLSTATE 42P01 (undefined_table): table \"no_such_table\""
                + " does not exist (proved in a scratch database)");
        assertThat(db.history()).hasSize(3);
        assertThat(db.tableExists("c")).isTrue();
        assertThatThrownBy(() -> Sluice.rollback().run(new RollbackRequest(null, db.target(), folder.source(), null, null,
                TargetVersion.parse("0"), "x", null, false, null, true), LAMBDA_TIME))
                .isInstanceOf(InvalidRequest.class).hasMessageStartingWith("field 'prove' goes with dryRun: true");
    }

    @Test
    void alreadyAtTarget_isNothingToUndo_andTargetAboveCurrentIsRejected() {
        migrate(MigrationSource.DEFAULT, "2");

        assertThat(rollback(MigrationSource.DEFAULT, "2", false).status()).isEqualTo(RollbackStatus.NOTHING_TO_UNDO);
        assertThatThrownBy(() -> rollback(MigrationSource.DEFAULT, "3", false))
                .isInstanceOf(InvalidRequest.class)
                .hasMessageContaining("above the current version 2");
    }

    @Test
    void migrateRecordsABaselineBeforeItsFirstScript() throws Exception {
        Snapshot before = live();

        migrate(MigrationSource.DEFAULT, "latest");

        assertThat(recorded(SnapshotStore.NO_VERSION)).isEqualTo(before);
        assertThat(recorded("4")).isEqualTo(live());
        assertThat(db.rows("SELECT version FROM sluice.schema_snapshot ORDER BY id")).containsExactly("0", "4");
    }
}
