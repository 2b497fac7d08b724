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
        assertThat(report.lint().findings()).filteredOn(finding -> finding.rule().equals("changing-column-type"))
                .extracting(LintFinding::line, finding -> finding.lock().contains("rewrite of public.orders"))
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, true), org.assertj.core.groups.Tuple.tuple(4, false));
        assertThat(db.history()).hasSize(1);
        assertThat(db.tableExists("audit")).isFalse();
        assertThat(db.rows("SELECT datname FROM pg_database WHERE datname LIKE 'sluice_scratch_%'")).isEmpty();
    }
}
