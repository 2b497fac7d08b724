package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.event.LintFinding;
import io.sluice.event.LintReport;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;

/**
 * The approvals a release needs come from its change class, which preflight computes from everything the release may
 * run: its versioned and repeatable scripts and the undo scripts a rollback of it runs automatically. Each test hides a
 * destructive change the way the security review did (in an undo script, a DO block, SQL built at run time, a
 * function the release calls, two statements the old lexer read as one) and checks the class it gets.
 */
class ApprovalGateTest {

    private TestDatabase db;
    private ScriptFolder folder;

    @BeforeEach
    void releasedOnce(@TempDir Path dir) {
        db = PostgresServer.get().newDatabase();
        folder = new ScriptFolder(dir)
                .with("V1__customers.sql", "CREATE TABLE customers (id bigint PRIMARY KEY, email text NOT NULL);\n"
                        + "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers);")
                .with("U1__customers.sql", "DROP TABLE orders;\nDROP TABLE customers;");
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(folder.source()).build(), Duration.ofMinutes(1));
    }

    private LintReport preflight() {
        return Sluice.validate().run(ValidateEvent.against(db.target()).migrations(folder.source()).preflight()).lint();
    }

    @Test
    void aMinorRelease_whoseUndoDropsWhatWasThereBefore_isDestructive_andNeedsEveryApproval() {
        folder.with("V2__note.sql", "ALTER TABLE customers ADD COLUMN note text;")
                .with("U2__note.sql", "ALTER TABLE customers DROP COLUMN note;\nDROP TABLE orders;");

        LintReport lint = preflight();

        assertThat(lint.changeClass()).isEqualTo("destructive");
        assertThat(lint.approvalsRequired()).isEqualTo(3);
        assertThat(lint.findings()).filteredOn(finding -> finding.rule().startsWith("ban-drop-"))
                .extracting(LintFinding::rule, LintFinding::script, LintFinding::line)
                .containsExactly(tuple("ban-drop-table", "U2__note.sql", 2));
    }

    @Test
    void anUndoThatOnlyReversesItsRelease_addsNothingToTheClass() {
        folder.with("V2__notes.sql", "CREATE TABLE notes (id bigint PRIMARY KEY, body text);\n"
                        + "ALTER TABLE customers ADD COLUMN note text;\nCREATE INDEX CONCURRENTLY customers_note_idx ON customers (note);")
                .with("U2__notes.sql", "DROP INDEX CONCURRENTLY IF EXISTS customers_note_idx;\nALTER TABLE customers DROP COLUMN IF EXISTS note;\n"
                        + "DROP TABLE IF EXISTS notes;");

        LintReport lint = preflight();

        assertThat(lint.changeClass()).isEqualTo("minor");
        assertThat(lint.findings()).filteredOn(finding -> finding.script().equals("U2__notes.sql")).isEmpty();
    }

    @Test
    void aDoBlock_runningADropAsDynamicSql_isDestructive_andOneBuildingItIsAtLeastMajor() {
        folder.with("V2__cleanup.sql", "DO $$ BEGIN EXECUTE 'DROP TABLE orders'; END $$;");
        assertThat(preflight().changeClass()).isEqualTo("destructive");

        folder.with("V2__cleanup.sql", "DO $$ BEGIN EXECUTE format('%s %s %I', 'DROP', 'TABLE', 'orders'); END $$;");
        assertThat(preflight().changeClass()).isEqualTo("major");
    }

    @Test
    void aFunctionTheReleaseCreatesAndCalls_countsWithWhatItsBodyDoes() {
        folder.with("V2__purge.sql", "CREATE FUNCTION purge() RETURNS void LANGUAGE sql AS $$ DELETE FROM orders $$;\n"
                + "SELECT purge();");
        assertThat(preflight().changeClass()).isEqualTo("data");

        folder.with("V2__purge.sql", "CREATE PROCEDURE purge() LANGUAGE sql AS 'TRUNCATE orders';\nCALL purge();");
        assertThat(preflight().changeClass()).isEqualTo("destructive");
    }

    @Test
    void twoStatementsTheOldLexerReadAsOne_areEachClassified() {
        folder.with("V2__trick.sql", "SELECT 1 AS €$$; DELETE FROM orders WHERE id = 1; SELECT 1 AS €$$;");
        assertThat(preflight().changeClass()).isEqualTo("data");

        folder.with("V2__trick.sql", "SELECT begin.atomic FROM (SELECT 1 AS atomic) AS begin; TRUNCATE orders; SELECT 1 AS end;");
        assertThat(preflight().changeClass()).isEqualTo("destructive");
    }

    @Test
    void aRepeatableScript_isClassifiedWithTheRelease() {
        folder.with("R__report_view.sql", "CREATE OR REPLACE VIEW report AS SELECT id FROM customers;\nDELETE FROM orders;");

        assertThat(preflight().changeClass()).isEqualTo("data");
    }
}
