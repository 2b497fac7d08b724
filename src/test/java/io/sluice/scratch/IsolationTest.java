package io.sluice.scratch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.sluice.command.ValidateCommand;
import io.sluice.error.NotIsolated;
import io.sluice.event.DatabaseTarget;
import io.sluice.event.ReversibilityCheck;
import io.sluice.event.UndoPolicy;
import io.sluice.event.ValidateReport;
import io.sluice.isolation.Isolations;
import io.sluice.isolation.ScratchBounds;
import io.sluice.lint.LintPolicy;
import io.sluice.migration.DatabaseConnector;
import io.sluice.migration.ScriptLoader;
import io.sluice.roles.OwnRoles;
import io.sluice.settings.SettingRules;
import io.sluice.testing.MigrateEvent;
import io.sluice.testing.MigrateSettings;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.ScriptFolder;
import io.sluice.testing.SettingLimits;
import io.sluice.testing.Sluice;
import io.sluice.testing.TestDatabase;
import io.sluice.testing.ValidateEvent;

/**
 * The isolations on a real PostgreSQL, as the deployment configures them: what the embedded server's template holds,
 * what a script that a database owner may not run gets there (an untrusted extension reading the function's
 * environment), the scratch role made and held to its attributes, and the refusal without an isolation.
 */
class IsolationTest {

    private TestDatabase live;
    private ScriptFolder scripts;

    @BeforeEach
    void liveDatabase(@TempDir Path dir) {
        live = PostgresServer.get().newDatabase();
        scripts = new ScriptFolder(dir.resolve("migrations"))
                .with("V1__orders.sql", "CREATE TABLE orders (id bigint PRIMARY KEY, status text NOT NULL DEFAULT 'new');\n")
                .with("U1__orders.sql", "DROP TABLE orders;\n");
        Sluice.migrate().run(MigrateEvent.against(live.target()).migrations(scripts.source()).build(), Duration.ofMinutes(1));
    }

    private static DatabaseConnector connector(String isolation, List<String> extensions) {
        return new DatabaseConnector(Duration.ofSeconds(2), Duration.ofSeconds(3), false,
                opener -> Isolations.of(isolation, OwnRoles.LOCAL, "256MB", Duration.ofMinutes(5), Path.of(System.getProperty(
                        "java.io.tmpdir"), "sluice-postgres"), extensions, null, opener), new ScratchBounds("256MB", Duration.ofMinutes(5)));
    }

    private static DatabaseConnector connector(String isolation) {
        return connector(isolation, List.of());
    }

    private static ValidateCommand validate(String isolation, List<String> extensions) {
        DatabaseConnector connector = connector(isolation, extensions);
        return new ValidateCommand(new ScriptLoader(Sluice.files()), connector, Sluice.catalog(), UndoPolicy.WARN,
                new SettingRules(SettingLimits.defaults()), MigrateSettings.defaults(), LintPolicy.defaults(), Sluice.files());
    }

    private List<ReversibilityCheck> prove(String isolation, List<String> extensions, String script) {
        scripts.with("V2__next.sql", script).with("U2__next.sql", "SELECT 1;\n");
        ValidateReport report = validate(isolation, extensions).run(ValidateEvent.against(live.target()).migrations(scripts.source())
                .proveReversible().preflight());
        return report.reversibility();
    }

    @Test
    void anExtensionADatabaseOwnerMayNotCreate_isRefusedTheScripts_andComesFromTheEmbeddedTemplateWhenListed() {
        String script = "CREATE EXTENSION IF NOT EXISTS pg_stat_statements;\n";

        List<ReversibilityCheck> without = prove("embedded", List.of(), script);
        List<ReversibilityCheck> listed = prove("embedded", List.of("pg_stat_statements"), script);

        assertThat(without).singleElement().extracting(ReversibilityCheck::message).asString()
                .isEqualTo("V2__next.sql failed in the scratch database: V2__next.sql line 1: SQLSTATE 42501 (insufficient_privilege):"
                        + " permission denied to create extension \"pg_stat_statements\"");
        assertThat(listed).singleElement().extracting(ReversibilityCheck::reversible).isEqualTo(true);
    }

    @Test
    void anUntrustedExtensionReadingTheFunctionsEnvironment_cannotBeMade_byTheRoleTheScriptsRunAs() {
        List<ReversibilityCheck> proof = prove("embedded", List.of(), "CREATE EXTENSION file_fdw;\nCREATE SERVER files FOREIGN DATA"
                + " WRAPPER file_fdw;\nCREATE FOREIGN TABLE environ (line text) SERVER files OPTIONS (filename '/proc/self/environ');\n"
                + "CREATE TABLE stolen AS SELECT * FROM environ;\n");

        assertThat(proof).singleElement().extracting(ReversibilityCheck::message).asString()
                .isEqualTo("V2__next.sql failed in the scratch database: V2__next.sql line 1: SQLSTATE 42501 (insufficient_privilege):"
                        + " permission denied to create extension \"file_fdw\"");
    }

    @Test
    void theScratchRole_isMadeWithTheLiveCredentials_withExactlyItsAttributes_andOneGivenMoreIsSetRightOrRefused() {
        List<ReversibilityCheck> proof = prove("role", List.of(), "ALTER TABLE orders ADD COLUMN note text;\n");

        assertThat(proof).singleElement().extracting(ReversibilityCheck::failedStep).isEqualTo("undo");
        assertThat(live.rows("SELECT rolcreatedb || ' ' || rolsuper || ' ' || rolcreaterole || ' ' || rolinherit || ' ' || rolconnlimit"
                + " FROM pg_roles WHERE rolname = 'sluice_scratch'")).containsExactly("true false false false 10");
        assertThat(live.rows("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = 'sluice_scratch'"))
                .containsExactly("0");

        // Given the application's role behind Sluice's back: the next use takes it away before anything runs.
        live.superuserSql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app_writer') THEN CREATE ROLE app_writer;"
                + " END IF; END $$; GRANT app_writer TO " + PostgresServer.APP_USER + " WITH ADMIN OPTION;"
                + " GRANT app_writer TO sluice_scratch GRANTED BY " + PostgresServer.APP_USER);
        prove("role", List.of(), "ALTER TABLE orders ADD COLUMN note2 text;\n");
        assertThat(live.rows("SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member WHERE r.rolname = 'sluice_scratch'"))
                .containsExactly("0");

        // Made a superuser, which no role but a superuser may undo: nothing runs.
        live.superuserSql("ALTER ROLE sluice_scratch SUPERUSER");
        try {
            assertThatThrownBy(() -> prove("role", List.of(), "ALTER TABLE orders ADD COLUMN note3 text;\n")).isInstanceOf(NotIsolated.class)
                    .hasMessageContaining("the scratch role sluice_scratch on ").hasMessageContaining("is not isolated: it has SUPERUSER");
        } finally {
            live.superuserSql("ALTER ROLE sluice_scratch NOSUPERUSER");
        }
    }

    /**
     * No privilege stops a role from changing its own password or settings, and a script lint could not read might: once
     * its scratch database is dropped, the login is made what it was, so the password a script chose opens nothing (on the
     * live server, under the role isolation) and the next release's work meets the bounds it was made with.
     */
    @ParameterizedTest
    @ValueSource(strings = {"embedded", "role"})
    void aPasswordOrSettingTheWorkGaveItsOwnLogin_doesNotOutliveTheScratchDatabase(String isolation) throws Exception {
        DatabaseConnector connector = connector(isolation);
        DatabaseTarget worker;
        try (ScratchDatabase scratch = ScratchDatabase.create(connector, ValidateEvent.against(live.target())
                .migrations(scripts.source()).preflight(), "test");
                Connection session = scratch.dataSource().getConnection(); Statement statement = session.createStatement()) {
            worker = scratch.target();
            statement.execute("ALTER ROLE CURRENT_USER PASSWORD 'attacker-knows-this'");
            statement.execute("ALTER ROLE CURRENT_USER SET statement_timeout = 0");
        }
        DatabaseTarget attacker = new DatabaseTarget(worker.url().withDatabase("postgres").text(), worker.username(), "attacker-knows-this");

        assertThatThrownBy(() -> DriverManager.getConnection(attacker.url().text() + (attacker.url().text().contains("?") ? "&" : "?")
                + "sslmode=disable", attacker.username(), attacker.password()).close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
        assertThat(prove(isolation, List.of(), "SELECT 1;\n")).as("the next work logs in with the password it was made with")
                .singleElement().extracting(ReversibilityCheck::reversible).isEqualTo(true);
        if (isolation.equals("role")) {
            assertThat(live.rows("SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole"
                    + " WHERE r.rolname = 'sluice_scratch'")).singleElement().asString().contains("statement_timeout=300s");
        }
    }

    @Test
    void withoutAnIsolation_scratchWorkIsRefused_sayingHowToChooseOne_andAPreflightWithoutItStillRuns() {
        assertThatThrownBy(() -> prove("none", List.of(), "ALTER TABLE orders ADD COLUMN note text;\n")).isInstanceOf(NotIsolated.class)
                .hasMessageStartingWith("scratch work needs an isolation and this deployment has none (sluice.scratch.isolation=none):"
                        + " choose embedded");
        ValidateReport plain = validate("none", List.of()).run(ValidateEvent.against(live.target()).migrations(scripts.source()).preflight());
        assertThat(plain.valid()).isTrue();
    }
}
