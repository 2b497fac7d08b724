package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.error.InvalidRequest;
import io.sluice.error.ValidationFailed;
import io.sluice.event.AppliedScript;
import io.sluice.event.MigrateReport;
import io.sluice.event.MigrateStatus;
import io.sluice.event.PlannedScript;
import io.sluice.event.TargetVersion;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.MigrateEvent;

/** An existing database (objects, no history) is adopted at a version, with a snapshot of what was there. */
class MigrateBaselineTest {

    private TestDatabase db;
    private ScriptFolder scripts;

    @BeforeEach
    void databaseBuiltByHand(@TempDir Path dir) {
        db = PostgresServer.get().newDatabase();
        db.sql("CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL); INSERT INTO accounts VALUES (1, 'ada')");
        scripts = new ScriptFolder(dir)
                .with("V1__accounts.sql", "CREATE TABLE accounts (id bigint PRIMARY KEY, owner text NOT NULL);")
                .with("V2__accounts_note.sql", "ALTER TABLE accounts ADD COLUMN note text;");
    }

    private MigrateReport migrate(String baseline, boolean dryRun) {
        return Sluice.migrate().run(MigrateEvent.against(db
                .target()).migrations(scripts.source())
                .dryRun(dryRun)
                .baselineVersion(baseline == null ? null : TargetVersion.parse(baseline)).build(), Duration.ofMinutes(1));
    }

    @Test
    void withoutBaselineVersion_isRefused_sayingHowToAdoptIt() {
        assertThatThrownBy(() -> migrate(null, false))
                .isInstanceOf(ValidationFailed.class)
                .hasMessage("schema public has objects but no Flyway history, so Flyway will not migrate it; nothing was changed."
                        + " Adopt it with 'baselineVersion' in the event (the version its objects stand for; a dry run shows what"
                        + " would be recorded).");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void dryRun_showsTheBaselineAndWhatWouldRunAfterIt_andChangesNothing() {
        MigrateReport plan = migrate("1", true);

        assertThat(plan.status()).isEqualTo(MigrateStatus.PLANNED);
        assertThat(plan.versionBefore()).isEqualTo("1");
        assertThat(plan.plan()).extracting(PlannedScript::script).containsExactly("V2__accounts_note.sql");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void baselineVersion_recordsTheVersionWithASnapshotOfWhatWasThere_migratesFromIt_andIsIdempotent() {
        MigrateReport adopted = migrate("1", false);

        assertThat(adopted.status()).isEqualTo(MigrateStatus.MIGRATED);
        assertThat(adopted.versionBefore()).isEqualTo("1");
        assertThat(adopted.applied()).extracting(AppliedScript::script).containsExactly("V2__accounts_note.sql");
        assertThat(db.rows("SELECT version, type, success FROM flyway_schema_history ORDER BY installed_rank"))
                .containsExactly("1|BASELINE|t", "2|SQL|t");
        assertThat(db.rows("SELECT version FROM sluice.schema_snapshot ORDER BY id")).containsExactly("1", "2");
        assertThat(db.rows("SELECT count(*) FROM sluice.schema_snapshot WHERE version = '1' AND snapshot LIKE '%accounts.note%'"))
                .containsExactly("0");
        assertThat(db.rows("SELECT owner FROM accounts")).containsExactly("ada");

        assertThat(migrate("1", false).status()).isEqualTo(MigrateStatus.UP_TO_DATE);
        assertThatThrownBy(() -> migrate("2", false)).isInstanceOf(InvalidRequest.class)
                .hasMessageStartingWith("field 'baselineVersion': schema public already has a history (version 2)");
    }
}
