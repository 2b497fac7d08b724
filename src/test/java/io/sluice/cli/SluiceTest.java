package io.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;

/**
 * The sluice command through its real {@code main} path ({@link Sluice#run(String[], Sluice.Console)}), on the suite's
 * PostgreSQL: each database command's exit code and output for a success, a finding and bad input; a Flyway project
 * (flyway.conf, flyway.toml) migrated unchanged; the precedence flag &gt; environment &gt; file; {@code --json} is the
 * function's result for the same event.
 */
class SluiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path project;

    private TestDatabase db;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final Map<String, String> environment = new HashMap<>();

    @BeforeEach
    void sampleProject() throws Exception {
        db = PostgresServer.get().newDatabase();
        Path sql = Files.createDirectories(project.resolve("sql"));
        try (Stream<Path> scripts = Files.list(Path.of("src/main/resources/db/migration"))) {
            for (Path script : scripts.toList()) {
                Files.copy(script, sql.resolve(script.getFileName()));
            }
        }
        environment.put("SLUICE_PASSWORD", PostgresServer.APP_PASSWORD);
    }

    private int sluice(String... args) {
        out.reset();
        err.reset();
        return Sluice.run(args, new Sluice.Console(Map.copyOf(environment), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), project, false));
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String errors() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String[] onDb(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--url", db.jdbcUrl(), "--user", db.user(), "--migrations", "sql"));
        return all.toArray(String[]::new);
    }

    @Test
    void migrate_printsEachScriptAsItRuns_infoShowsTheHistory_andRollbackUndoesIt() {
        assertThat(sluice(onDb("migrate", "--dry-run"))).isEqualTo(Exit.OK);
        assertThat(printed()).startsWith("Dry run: public at version (none); 4 script(s) would run in phase expand:\n"
                + "  V1__create_customers.sql expand\n");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();

        assertThat(sluice(onDb("migrate"))).as(errors()).isEqualTo(Exit.OK);
        assertThat(printed()).contains("-> V1__create_customers.sql\n   applied in ").contains("-> V4__customer_order_totals_view.sql\n")
                .contains("MIGRATED: public from version (none) to 4; 4 script(s) applied in ");
        assertThat(db.tableExists("orders")).isTrue();

        assertThat(sluice(onDb("info"))).isEqualTo(Exit.OK);
        assertThat(printed()).startsWith("public of " + db.jdbcUrl().replaceAll("\\?.*", "") + ": version 4; 4 applied, 0 pending (0 contract), 0 failed\n")
                .containsPattern("  3 +SQL +Success +expand +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\S* index orders by status");

        assertThat(sluice(onDb("rollback", "--to", "2"))).isEqualTo(Exit.USAGE);
        assertThat(errors()).startsWith("sluice rollback: Missing required option: '--reason=<reason>'");
        assertThat(sluice(onDb("rollback", "--to", "2", "--reason", "orders p95 doubled"))).as(errors()).isEqualTo(Exit.OK);
        assertThat(printed()).startsWith("ROLLED_BACK: public from version 4 to 2 (audit ").contains("  verified against the recorded schema: true");
        assertThat(db.tableExists("orders")).isTrue();
        assertThat(db.rows("SELECT requested_by || ' ' || reason FROM sluice.rollback_audit")).containsExactly("cli:"
                + environment.getOrDefault("USER", System.getProperty("user.name")) + " orders p95 doubled");
    }

    @Test
    void jsonPrintsExactlyTheFunctionsResult_forTheSameEvent() throws Exception {
        assertThat(sluice(onDb("migrate", "--deployment-id", "cli-1"))).isEqualTo(Exit.OK);
        assertThat(sluice(onDb("validate", "--mode", "drift", "--deployment-id", "cli-2", "--json"))).isEqualTo(Exit.OK);
        JsonNode printed = JSON.readTree(printed());

        ObjectNode event = JSON.createObjectNode();
        event.put("deploymentId", "cli-2");
        event.set("database", JSON.readTree(db.targetJson()));
        event.put("migrations", "filesystem:" + project.resolve("sql"));
        event.put("mode", "drift");
        Map<String, String> roots = Map.of("sluice.database.event-credentials", "true", "sluice.files.roots", project.toString());
        FunctionCall call = FunctionCall.of(LocalFunctions.byArn(LocalFunctions.config("prod", roots)).get(LocalFunctions.arn("validate")),
                "validate", event);
        assertThat(call.failed()).isFalse();
        ((ObjectNode) printed).remove("durationMs");
        ((ObjectNode) call.result()).remove("durationMs");
        assertThat(printed).isEqualTo(call.result());
        assertThat(printed.path("valid").asBoolean()).isTrue();
        assertThat(printed.path("mode").asText()).isEqualTo("drift");
    }

    @Test
    void driftIsAFinding_exitOne_withTheReconcileSql() {
        assertThat(sluice(onDb("migrate"))).isEqualTo(Exit.OK);
        db.sql("ALTER TABLE orders ADD COLUMN note text");
        assertThat(sluice(onDb("validate", "--mode", "drift"))).isEqualTo(Exit.FAILED);
        assertThat(printed()).contains("error SCHEMA_MISMATCH ").contains("ALTER TABLE").contains("FAILED drift of public at version 4");
    }

    @Test
    void aFlywayProject_withFlywayConf_migratesUnchanged_andTheEnvironmentWinsOverTheFile_andAFlagOverTheEnvironment() throws Exception {
        environment.remove("SLUICE_PASSWORD");
        Files.writeString(project.resolve("flyway.conf"), "flyway.url=" + db.jdbcUrl().replace(db.name(), "no_such_db") + "\n"
                + "flyway.user=" + db.user() + "\nflyway.password=" + PostgresServer.APP_PASSWORD + "\nflyway.locations=filesystem:sql\n"
                + "flyway.schemas=public\nflyway.cleanDisabled=true\n");
        assertThat(sluice("migrate")).isEqualTo(Exit.USAGE);
        assertThat(errors()).startsWith("sluice migrate failed: InvalidRequest: ").contains("no_such_db");

        environment.put("FLYWAY_URL", db.jdbcUrl());
        assertThat(sluice("migrate")).as(errors()).isEqualTo(Exit.OK);
        assertThat(db.history()).hasSize(4);

        environment.put("SLUICE_URL", db.jdbcUrl().replace(db.name(), "no_such_db"));
        assertThat(sluice("info", "--url", db.jdbcUrl())).isEqualTo(Exit.OK);
        assertThat(printed()).contains("version 4; 4 applied");
    }

    @Test
    void aFlywayProject_withFlywayToml_migratesUnchanged_inTheEnvironmentItNames() throws Exception {
        environment.remove("SLUICE_PASSWORD");
        Files.writeString(project.resolve("flyway.toml"), """
                [environments.default]
                url = "jdbc:postgresql://localhost:1/nothing"
                user = "nobody"

                [environments.ci]
                url = "%s"
                user = "%s"
                password = "%s"
                schemas = ["public"]

                [flyway]
                environment = "ci"
                locations = ["filesystem:sql"]
                """.formatted(db.jdbcUrl(), db.user(), PostgresServer.APP_PASSWORD));
        assertThat(sluice("migrate")).as(errors()).isEqualTo(Exit.OK);
        assertThat(db.history()).hasSize(4);
        assertThat(sluice("info", "--environment", "staging")).isEqualTo(Exit.USAGE);
        assertThat(errors()).startsWith("sluice info: flyway.toml has no [environments.staging] (it has default, ci)");
    }

    @Test
    void whatSluiceCannotHonour_isRefusedByName_andNothingRuns() throws Exception {
        Files.writeString(project.resolve("flyway.conf"), "flyway.url=" + db.jdbcUrl() + "\nflyway.user=" + db.user()
                + "\nflyway.locations=filesystem:sql\nflyway.placeholders.tenant=acme\n");
        assertThat(sluice("migrate")).isEqualTo(Exit.USAGE);
        assertThat(errors()).startsWith("sluice migrate: flyway.conf: Flyway placeholders are not replaced by Sluice");
        Files.writeString(project.resolve("flyway.conf"), "flyway.url=" + db.jdbcUrl() + "\nflyway.table=schema_version\n");
        assertThat(sluice("migrate")).isEqualTo(Exit.USAGE);
        assertThat(errors()).contains("flyway.table=schema_version: Sluice keeps Flyway's history in flyway_schema_history");
        Files.writeString(project.resolve("flyway.conf"), "flyway.locations=filesystem:sql,filesystem:more\n");
        assertThat(sluice("migrate")).isEqualTo(Exit.USAGE);
        assertThat(errors()).contains("flyway.locations names 2 locations");
        Files.delete(project.resolve("flyway.conf"));

        assertThat(sluice("migrate")).isEqualTo(Exit.USAGE);
        assertThat(errors()).startsWith("sluice migrate: no database: give --url JDBC_URL");
        assertThat(sluice(onDb("migrate", "--target", "v-nine"))).isEqualTo(Exit.USAGE);
        assertThat(errors()).startsWith("sluice migrate failed: InvalidRequest: ").doesNotContain("\tat ");
        assertThat(sluice(onDb("migrate", "--frobnicate"))).isEqualTo(Exit.USAGE);
        assertThat(errors()).startsWith("sluice migrate: Unknown option: '--frobnicate'");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
        assertThat(db.tableExists("customers")).isFalse();
    }

    @Test
    void anUnreachableDatabase_andRefusedCredentials_exitThree() {
        assertThat(sluice("health", "--url", "jdbc:postgresql://127.0.0.1:1/app", "--user", "app")).isEqualTo(Exit.FAILED);
        assertThat(printed()).startsWith("DOWN");
        assertThat(sluice("info", "--url", "jdbc:postgresql://127.0.0.1:1/app", "--user", "app", "--migrations", "sql"))
                .isEqualTo(Exit.DATABASE);
        assertThat(errors()).startsWith("sluice info failed: DatabaseUnavailable: ");
        environment.put("SLUICE_PASSWORD", "wrong");
        assertThat(sluice(onDb("migrate"))).isEqualTo(Exit.DATABASE);
        assertThat(errors()).startsWith("sluice migrate failed: AuthenticationFailed: ").doesNotContain("wrong");
        assertThat(db.tableExists("flyway_schema_history")).isFalse();
    }

    @Test
    void canaryCheckAndHealth_exitByTheirVerdict() throws Exception {
        assertThat(sluice(onDb("migrate"))).isEqualTo(Exit.OK);
        assertThat(sluice("health", "--url", db.jdbcUrl(), "--user", db.user())).isEqualTo(Exit.OK);
        assertThat(printed()).startsWith("UP\n");
        Files.writeString(project.resolve("sluice.toml"), "[canary]\nstage = 5\nprobes = [\"SELECT count(*) FROM orders\"]\nprobe-runs = 3\n");
        assertThat(sluice("canary-check", "--url", db.jdbcUrl(), "--user", db.user())).as(errors()).isEqualTo(Exit.OK);
        assertThat(printed()).startsWith("HEALTHY at stage 5; next stage 25\n").contains("p95 of 3 probe run(s)");
        assertThat(sluice("canary-check", "--url", db.jdbcUrl(), "--user", db.user(), "--probe", "DELETE FROM orders")).isEqualTo(Exit.USAGE);
        assertThat(errors()).startsWith("sluice canary-check failed: InvalidRequest: ");
    }

    @Test
    void lint_aFileOrAFolder_failsOnItsSeverity() throws Exception {
        Path script = Files.writeString(project.resolve("V9__status_index.sql"), "CREATE INDEX orders_status ON orders(status);\n");
        assertThat(sluice("lint", script.toString())).isEqualTo(Exit.FAILED);
        assertThat(printed()).startsWith("V9__status_index.sql:1: error [require-concurrent-index-creation] ");
        Path warning = Files.writeString(project.resolve("V10__note.sql"), "ALTER TABLE orders ADD COLUMN note varchar(200);\n");
        assertThat(sluice("lint", warning.toString())).isEqualTo(Exit.OK);
        assertThat(printed()).contains("[prefer-text-field]");
        assertThat(sluice("lint", warning.toString(), "--fail-on", "warning")).isEqualTo(Exit.FAILED);
        assertThat(sluice("lint", "sql")).isEqualTo(Exit.OK);
        assertThat(sluice("lint", "sql", script.toString())).isEqualTo(Exit.USAGE);
        assertThat(errors()).startsWith("sluice lint: name one folder, or script files");
        assertThat(sluice("lint", "sql", "--fail-on", "fatal")).isEqualTo(Exit.USAGE);
        assertThat(errors()).startsWith("sluice lint: Invalid value for option '--fail-on'");
    }

    @Test
    void aSchemaOtherThanPublic_isMigratedAndRolledBackInThatSchema_leavingPublicsNamesakesAlone() {
        db.sql("CREATE VIEW customer_order_totals AS SELECT 1 AS public_namesake");
        assertThat(sluice(onDb("migrate", "--schema", "tour", "--target", "2"))).as(errors()).isEqualTo(Exit.OK);
        assertThat(sluice(onDb("migrate", "--schema", "tour"))).as(errors()).isEqualTo(Exit.OK);
        int code = sluice(onDb("rollback", "--schema", "tour", "--to", "2", "--reason", "undo 3 and 4"));
        assertThat(code).as(printed() + errors()).isEqualTo(Exit.OK);
        assertThat(printed()).startsWith("ROLLED_BACK: tour from version 4 to 2").contains("verified against the recorded schema: true");
        assertThat(db.rows("SELECT table_schema || '.' || table_name FROM information_schema.views WHERE table_name = 'customer_order_totals'"))
                .containsExactly("public.customer_order_totals");
    }
}
