package io.sluice.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.sluice.event.LintFinding;
import io.sluice.event.MeasuredLock;
import io.sluice.event.ReversibilityCheck;
import io.sluice.event.RollbackReport;
import io.sluice.event.RollbackRequest;
import io.sluice.event.TargetVersion;
import io.sluice.event.ValidateReport;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;

/**
 * Scratch work (reversibility proofs, lock probes, undo-chain proofs, rebuilt snapshots) runs scripts nobody approved
 * yet, on the live server, with the live database's credentials: a scratch database isolates a database, not the
 * server. Each test plants a script that acts on the server the way the security review did, as a pending, undo or
 * applied script, and checks it never ran: the role's password is still the one it had.
 */
class ScratchGateTest {

    private static final String NOT_RUN = "; Sluice never runs such a script in a scratch database: what acts beyond one database proves nothing about it";

    private TestDatabase db;

    /** A database with an owner of its own: a planted ALTER ROLE would change no other test's role. */
    @BeforeEach
    void database() {
        String id = UUID.randomUUID().toString().substring(0, 8);
        db = PostgresServer.get().freshDatabase("scratchgate_" + id, "scratchgate_" + id, "Pw-" + id);
    }

    @Test
    void aPendingScriptChangingTheRolesPassword_isAnErrorInLint_andNeverRunsInTheProofOrTheLockProbe(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__a.sql", "CREATE TABLE a (id int);").with("U1__a.sql", "DROP TABLE a;");
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(folder.source()).build(), Duration.ofMinutes(1));
        folder.with("V2__own_password.sql", "CREATE TABLE b (id int);\nALTER ROLE CURRENT_USER PASSWORD 'planted';")
                .with("U2__own_password.sql", "DROP TABLE b;");

        ValidateReport report = Sluice.validate().run(ValidateEvent.against(db.target()).migrations(folder.source()).proveReversible()
                .probeLocks().preflight());

        String notProvable = "not provable: V2__own_password.sql line 2: ALTER ROLE (roles belong to the whole server) acts beyond one"
                + " database" + NOT_RUN;
        assertThat(report.valid()).isFalse();
        assertThat(report.lint().findings()).filteredOn(finding -> finding.rule().equals("server-wide-statement"))
                .extracting(LintFinding::script, LintFinding::line, LintFinding::severity, LintFinding::message)
                .containsExactly(tuple("V2__own_password.sql", 2, "ERROR",
                        "ALTER ROLE (roles belong to the whole server) acts beyond this database"));
        assertThat(report.reversibility()).extracting(ReversibilityCheck::script, ReversibilityCheck::reversible, ReversibilityCheck::message)
                .containsExactly(tuple("V2__own_password.sql", null, notProvable));
        assertThat(report.lint().locks()).extracting(MeasuredLock::script, MeasuredLock::line, MeasuredLock::error)
                .containsExactly(tuple("V2__own_password.sql", 2, notProvable));
        assertThat(db.rows("SELECT 'the password is the one it was'")).containsExactly("the password is the one it was");
        assertThat(db.tableExists("b")).isFalse();
    }

    @Test
    void anUndoScriptBuildingALTERROLEAtRunTime_isNotProvable_andTheProofRunsNothing(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__a.sql", "CREATE TABLE a (id int);").with("U1__a.sql", "DROP TABLE a;")
                .with("V2__b.sql", "CREATE TABLE b (id int);")
                .with("U2__b.sql", "DROP TABLE b;\nDO $$ BEGIN EXECUTE format('%s ROLE %I PASSWORD %L', 'ALTER', current_user, 'planted');"
                        + " END $$;");
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(folder.source()).build(), Duration.ofMinutes(1));

        RollbackReport plan = Sluice.rollback().run(new RollbackRequest(null, db.target(), folder.source(), null, null,
                TargetVersion.parse("1"), "a drill", "tester", true, null, true), Duration.ofMinutes(1));

        assertThat(plan.blockers()).containsExactly("not provable: U2__b.sql line 2: cannot be shown to stay in one database: it runs"
                + " SQL built at run time (EXECUTE), which could do anything" + NOT_RUN);
        assertThat(db.rows("SELECT 'the password is the one it was'")).containsExactly("the password is the one it was");
    }

    @Test
    void aVersionWithoutSnapshot_isNotRebuiltFromScriptsThatActOnTheServer(@TempDir Path dir) {
        ScriptFolder folder = new ScriptFolder(dir)
                .with("V1__a.sql", "CREATE TABLE a (id int);").with("U1__a.sql", "DROP TABLE a;")
                .with("V2__b.sql", "CREATE TABLE b (id int);\nALTER ROLE CURRENT_USER SET lock_timeout = '5s';")
                .with("U2__b.sql", "DROP TABLE b;\nALTER ROLE CURRENT_USER RESET lock_timeout;")
                .with("V3__c.sql", "CREATE TABLE c (id int);").with("U3__c.sql", "DROP TABLE c;");
        // One run: snapshots of its boundaries (versions 0 and 3) only, so version 2 would be rebuilt in a scratch database.
        Sluice.migrate().run(MigrateEvent.against(db.target()).migrations(folder.source()).build(), Duration.ofMinutes(1));
        db.sql("ALTER ROLE CURRENT_USER SET lock_timeout = '7s'");

        RollbackReport plan = Sluice.rollback().run(new RollbackRequest(null, db.target(), folder.source(), null, null,
                TargetVersion.parse("2"), "a drill", "tester", true, null, null), Duration.ofMinutes(1));

        assertThat(plan.blockers()).containsExactly("no schema snapshot is recorded for version 2, and it is not provable: V2__b.sql"
                + " line 2: ALTER ROLE (roles belong to the whole server) acts beyond one database" + NOT_RUN);
        assertThat(db.rows("SELECT unnest(setconfig) FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole"
                + " WHERE r.rolname = current_user")).containsExactly("lock_timeout=7s");
    }
}
