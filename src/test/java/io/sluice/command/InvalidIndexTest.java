package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.error.MigrationFailed;
import io.sluice.error.ValidationFailed;
import io.sluice.event.Finding;
import io.sluice.event.FindingCode;
import io.sluice.event.ValidateMode;
import io.sluice.event.ValidateReport;
import io.sluice.event.ValidateRequest;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;
import io.sluice.testing.MigrateEvent;

/**
 * An INVALID index (what an interrupted or failed {@code CREATE INDEX CONCURRENTLY} leaves) is never accepted: not
 * by preflight, migrate, post-migrate or drift, and never stored in a snapshot as the expected state.
 */
class InvalidIndexTest {

    private static final String DROP = "DROP INDEX CONCURRENTLY IF EXISTS public.orders_customer_idx;";

    private TestDatabase db;
    private ScriptFolder scripts;

    @BeforeEach
    void migratedToVersionOne(@TempDir Path dir) {
        db = PostgresServer.get().newDatabase();
        scripts = new ScriptFolder(dir)
                .with("V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint);"
                        + " INSERT INTO orders VALUES (1, 7), (2, 7);")
                .with("V2__index_orders_by_customer.sql", "CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);");
        migrate("1");
    }

    /** What a session killed (or failed) during CREATE INDEX CONCURRENTLY leaves: the index, marked INVALID. */
    private void leaveAnInvalidIndex() {
        assertThatThrownBy(() -> db.sql("CREATE UNIQUE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id)"))
                .hasMessageContaining("could not create unique index");
        assertThat(db.rows("SELECT indisvalid FROM pg_index WHERE indexrelid = 'orders_customer_idx'::regclass")).containsExactly("f");
    }

    private void migrate(String target) {
        Sluice.migrate().run(MigrateEvent.against(db
                .target()).migrations(scripts.source()).target(target == null ? null : io.sluice.event.TargetVersion.parse(target)).build(),
                Duration.ofMinutes(1));
    }

    private ValidateReport validate(ValidateMode mode) {
        return Sluice.validate().run(ValidateEvent.against(db.target()).migrations(scripts.source()).in(mode));
    }

    @Test
    void invalidIndexLeftByAnInterruptedBuild_makesPreflightInvalid_withTheStatementThatRemovesIt() {
        leaveAnInvalidIndex();

        ValidateReport report = validate(ValidateMode.PREFLIGHT);

        assertThat(report.valid()).isFalse();
        assertThat(report.findings()).filteredOn(finding -> finding.code() == FindingCode.INVALID_INDEX)
                .extracting(Finding::severity, Finding::expected, Finding::actual)
                .containsExactly(tuple(Finding.Severity.ERROR, "valid", "INVALID"));
        assertThat(report.findings()).filteredOn(finding -> finding.code() == FindingCode.INVALID_INDEX).singleElement()
                .satisfies(finding -> assertThat(finding.message()).startsWith("public.orders_customer_idx on public.orders is INVALID")
                        .endsWith("Remove with: " + DROP));
    }

    @Test
    void invalidIndexLeftByAnInterruptedBuild_stopsMigrate_beforeIfNotExistsAcceptsIt() {
        leaveAnInvalidIndex();

        assertThatThrownBy(() -> migrate(null))
                .isInstanceOf(ValidationFailed.class)
                .hasMessageStartingWith("schema public cannot be migrated while public.orders_customer_idx on public.orders is INVALID")
                .hasMessageContaining(DROP)
                .hasMessageEndingWith("Nothing was migrated.");
        assertThat(db.history()).containsExactly("1|V1__orders.sql|t");

        db.sql(DROP);
        migrate(null);

        assertThat(db.history()).containsExactly("1|V1__orders.sql|t", "2|V2__index_orders_by_customer.sql|t");
        assertThat(db.rows("SELECT indisvalid FROM pg_index WHERE indexrelid = 'orders_customer_idx'::regclass")).containsExactly("t");
    }

    @Test
    void nonTransactionalScriptThatLeavesAnInvalidIndex_isNotRecordedAsApplied() {
        // A stand-in for a build that PostgreSQL leaves INVALID while the script itself reports success.
        db.superuserSql("CREATE FUNCTION public.mark_invalid(index_name text) RETURNS void SECURITY DEFINER LANGUAGE sql"
                + " AS $$ UPDATE pg_index SET indisvalid = false WHERE indexrelid = to_regclass(index_name) $$");
        scripts.with("V2__index_orders_by_customer.sql", "CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);\n"
                + "SELECT public.mark_invalid('public.orders_customer_idx');");

        assertThatThrownBy(() -> migrate(null))
                .isInstanceOf(MigrationFailed.class)
                .hasMessageStartingWith("public.orders_customer_idx on public.orders is INVALID")
                .hasMessageContaining(DROP)
                .hasMessageContaining("Found after V2__index_orders_by_customer.sql ran; it is not recorded as applied.");
        assertThat(db.history()).containsExactly("1|V1__orders.sql|t");
    }

    @Test
    void postMigrateAndDrift_reportAnInvalidIndex_andTheSnapshotNeverHoldsIt() {
        migrate(null);
        db.sql("DROP INDEX orders_customer_idx");
        leaveAnInvalidIndex();

        ValidateReport postMigrate = validate(ValidateMode.POST_MIGRATE);
        ValidateReport drift = validate(ValidateMode.DRIFT);

        assertThat(postMigrate.valid()).isFalse();
        assertThat(postMigrate.findings()).extracting(Finding::code)
                .containsExactlyInAnyOrder(FindingCode.INVALID_INDEX, FindingCode.SCHEMA_MISMATCH);
        assertThat(drift.drift()).isTrue();
        assertThat(drift.findings()).extracting(Finding::code).contains(FindingCode.INVALID_INDEX);
        assertThat(drift.differences()).singleElement()
                .satisfies(difference -> assertThat(difference.summary()).contains("public.orders_customer_idx"));
    }

    @Test
    void snapshotRecordedWhileAnotherSchemaHasAnInvalidIndex_leavesThatIndexOut() {
        db.sql("CREATE SCHEMA reporting; CREATE TABLE reporting.events (id int); INSERT INTO reporting.events VALUES (1), (1)");
        assertThatThrownBy(() -> db.sql("CREATE UNIQUE INDEX CONCURRENTLY events_id_idx ON reporting.events (id)"))
                .hasMessageContaining("could not create unique index");

        migrate(null);

        assertThat(db.rows("SELECT count(*) FROM sluice.schema_snapshot WHERE version = '2'")).containsExactly("1");
        assertThat(db.rows("SELECT count(*) FROM sluice.schema_snapshot WHERE snapshot LIKE '%events_id_idx%'")).containsExactly("0");
        assertThat(validate(ValidateMode.DRIFT).differences()).singleElement()
                .satisfies(difference -> assertThat(difference.summary()).contains("reporting.events_id_idx"));
    }
}
