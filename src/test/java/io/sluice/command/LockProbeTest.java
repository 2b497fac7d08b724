package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.event.LintFinding;
import io.sluice.event.MeasuredLock;
import io.sluice.event.ValidateMode;
import io.sluice.event.ValidateReport;
import io.sluice.event.ValidateRequest;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;
import io.sluice.testing.MigrateEvent;

class LockProbeTest {

    @Test
    void probe_measuresTheLocksAndRewritesOfEachPendingStatement_andChangesNothing(@TempDir Path dir) {
        TestDatabase db = PostgresServer.get().newDatabase();
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(12,2) NOT NULL);\n"
                        + "INSERT INTO orders SELECT g, g FROM generate_series(1, 1000) g;")
                .with("U1__orders.sql", "DROP TABLE orders;");
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(folder.source()).build(), Duration.ofMinutes(1));
        folder.with("V2__reshape.sql", """
                        ALTER TABLE orders ADD COLUMN note text;
                        ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,4);
                        CREATE INDEX orders_total_idx ON orders (total);
                        ALTER TABLE orders ALTER COLUMN total TYPE numeric(16,4);
                        ALTER TABLE orders ADD CONSTRAINT total_positive CHECK (total >= 0) NOT VALID;
                        ALTER TABLE orders VALIDATE CONSTRAINT total_positive;
                        CREATE TABLE audit (id bigint);
                        """)
                .with("U2__reshape.sql", "SELECT 1;")
                .with("V3__index.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_note_idx ON orders (note);")
                .with("U3__index.sql", "DROP INDEX CONCURRENTLY IF EXISTS orders_note_idx;");

        ValidateReport report = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(folder.source()).probeLocks().preflight());

        List<MeasuredLock> locks = report.lint().locks();
        assertThat(locks).extracting(MeasuredLock::line).containsExactly(1, 2, 3, 4, 5, 6, 7, 1);
        assertThat(locks.get(0).locks()).contains("ACCESS EXCLUSIVE on public.orders");
        assertThat(locks.get(0).rewritten()).isEmpty();
        assertThat(locks.get(1).locks()).contains("ACCESS EXCLUSIVE on public.orders");
        assertThat(locks.get(1).rewritten()).contains("public.orders");
        assertThat(locks.get(2).locks()).contains("SHARE on public.orders");
        // Widening the precision only: the rule still warns, the measurement shows PostgreSQL skipped the rewrite.
        assertThat(locks.get(3).locks()).contains("ACCESS EXCLUSIVE on public.orders");
        assertThat(locks.get(3).rewritten()).isEmpty();
        assertThat(locks.get(5).locks()).contains("SHARE UPDATE EXCLUSIVE on public.orders");
        assertThat(locks.get(6).locks()).as("a table the script creates blocks nobody").isEmpty();
        assertThat(locks.get(7).measured()).isFalse();
        assertThat(locks.get(7).locks()).containsExactly("SHARE UPDATE EXCLUSIVE on the table");
        // Line 4 widens the precision only: lint knows the type from line 2 and reports nothing there.
        assertThat(report.lint().findings()).filteredOn(finding -> finding.rule().equals("changing-column-type"))
                .extracting(LintFinding::line, LintFinding::severity, LintFinding::message).containsExactly(org.assertj.core.groups.Tuple.tuple(2,
                        "ERROR", "the type change of total from numeric(12,2) to numeric(14,4) rewrites orders; measured: "
                                + locks.get(1).describe()));
        assertThat(db.history()).hasSize(1);
        assertThat(db.tableExists("audit")).isFalse();
        assertThat(db.rows("SELECT datname FROM pg_database WHERE datname LIKE 'sluice_scratch_%'")).isEmpty();
    }

    @Test
    void findingsTheProbeConfirms_sayMeasured_andOnesItContradicts_dropOneLevel(@TempDir Path dir) {
        TestDatabase db = PostgresServer.get().newDatabase();
        // The table comes from a DO block: lint cannot see its column types, only the probe can tell.
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__notes.sql", "DO $$ BEGIN EXECUTE 'CREATE TABLE notes (id bigint PRIMARY KEY, body varchar(100), n integer)'; END $$;")
                .with("U1__notes.sql", "DROP TABLE notes;");
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(folder.source()).build(), Duration.ofMinutes(1));
        folder.with("V2__widen.sql", "ALTER TABLE notes ALTER COLUMN body TYPE text;\nALTER TABLE notes ALTER COLUMN n TYPE bigint;\n")
                .with("U2__widen.sql", "SELECT 1;");

        ValidateReport report = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(folder.source()).probeLocks().preflight());

        List<MeasuredLock> locks = report.lint().locks();
        assertThat(report.lint().findings()).filteredOn(finding -> finding.rule().equals("changing-column-type"))
                .extracting(LintFinding::line, LintFinding::severity, LintFinding::message).containsExactly(
                        org.assertj.core.groups.Tuple.tuple(1, "WARNING", "the type change of body to text may rewrite notes (the scripts do"
                                + " not say what its type was); the lock probe measured no rewrite (" + locks.get(0).describe() + ")"),
                        org.assertj.core.groups.Tuple.tuple(2, "ERROR", "the type change of n to bigint may rewrite notes (the scripts do"
                                + " not say what its type was); measured: " + locks.get(1).describe()));
        assertThat(locks.get(0).describe()).isEqualTo("ACCESS EXCLUSIVE on public.notes");
        assertThat(locks.get(1).describe()).isEqualTo("ACCESS EXCLUSIVE on public.notes, ACCESS EXCLUSIVE on public.notes_pkey, SHARE on"
                + " public.notes, rewrite of public.notes, rewrite of public.notes_pkey");
        assertThat(report.lint().errors()).isEqualTo((int) report.lint().findings().stream()
                .filter(finding -> finding.severity().equals("ERROR")).count());
    }
}
