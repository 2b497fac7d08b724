package io.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.sluice.testing.PostgresServer;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.MigrateEvent;

/** Sluice's own tables are versioned like the user's: scripts in classpath:sluice/state, a history of their own. */
class StateMigrationsTest {

    private static void migrate(TestDatabase db) {
        Sluice.migrate().run(MigrateEvent.against(db.target()).build(), Duration.ofMinutes(1));
    }

    @Test
    void firstMigrate_createsTheStateTables_throughTheirOwnHistory() {
        TestDatabase db = PostgresServer.get().newDatabase();

        migrate(db);

        assertThat(db.rows("SELECT version, script, type, success FROM sluice.sluice_state_history WHERE type <> 'SCHEMA'"))
                .containsExactly("1|V1__snapshots_and_rollback_audit.sql|SQL|t", "2|V2__backfill_progress.sql|SQL|t");
        assertThat(db.rows("SELECT tablename FROM pg_tables WHERE schemaname = 'sluice' ORDER BY 1"))
                .containsExactly("backfill_progress", "rollback_audit", "schema_snapshot", "sluice_state_history");
        assertThat(db.rows("SELECT count(DISTINCT version) FROM sluice.schema_snapshot")).containsExactly("2");
    }

    @Test
    void stateTablesFromBeforeVersioning_areBaselined_andKeepTheirRows() {
        TestDatabase db = PostgresServer.get().newDatabase();
        db.sql("CREATE SCHEMA sluice; CREATE TABLE sluice.schema_snapshot (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                + " managed_schema text NOT NULL, version text NOT NULL, deployment_id text NOT NULL,"
                + " taken_at timestamptz NOT NULL DEFAULT now(), sha256 text NOT NULL, snapshot text NOT NULL);"
                + " CREATE TABLE sluice.rollback_audit (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, deployment_id text NOT NULL,"
                + " managed_schema text NOT NULL, requested_by text NOT NULL, reason text NOT NULL, strategy text NOT NULL,"
                + " from_version text, to_version text NOT NULL, result text NOT NULL, detail text, undone_history text,"
                + " started_at timestamptz NOT NULL, finished_at timestamptz NOT NULL DEFAULT now());"
                + " INSERT INTO sluice.rollback_audit (deployment_id, managed_schema, requested_by, reason, strategy, to_version,"
                + " result, started_at) VALUES ('old', 'public', 'ops', 'before versioning', 'undo', '0', 'ROLLED_BACK', now())");

        migrate(db);

        assertThat(db.rows("SELECT version, type FROM sluice.sluice_state_history ORDER BY installed_rank"))
                .as("baselined at 1, then upgraded").containsExactly("1|BASELINE", "2|SQL");
        assertThat(db.rows("SELECT reason FROM sluice.rollback_audit")).containsExactly("before versioning");
        assertThat(db.rows("SELECT count(DISTINCT version) FROM sluice.schema_snapshot")).containsExactly("2");
    }
}
