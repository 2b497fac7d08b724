package io.sluice.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.cli.LintCommandLine;
import io.sluice.testing.NodeTools;
import io.sluice.testing.PostgresServer;
import io.sluice.testing.TestDatabase;

/**
 * {@code lint} as a pull request's check runs it: SARIF code scanning places on the diff (valid SARIF 2.1.0, paths from
 * the repository's root), and only what is new counts ({@code --since} a git base, {@code --pending} on a database).
 */
class LintCommandLineTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** An existing schema's first script, as teams adopting with a history have one: errors that can never be fixed. */
    private static final String HISTORY = "CREATE TABLE orders (id int PRIMARY KEY, placed timestamp, status varchar(20));\n"
            + "INSERT INTO orders VALUES (1, now(), 'new');\n"
            + "ALTER TABLE orders ADD COLUMN total int NOT NULL DEFAULT 0;\n"
            + "CREATE INDEX customers_email ON customers(email);\n"
            + "DROP TABLE legacy_orders;\n";

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int lint(Map<String, String> environment, String... args) {
        return LintCommandLine.run(args, environment, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String printed() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private static void git(Path repository, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-C", repository.toString(), "-c", "user.name=dev", "-c", "user.email=dev@example.com",
                "-c", "commit.gpgsign=false"));
        command.addAll(List.of(args));
        Process git = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(git.waitFor()).as(String.join(" ", command) + ": " + said).isZero();
    }

    /**
     * The layout ci.yml's adoption job has: the application's repository checked out with Sluice beside it, its scripts
     * in {@code db/migration}, the first one its existing schema, committed on {@code main}.
     */
    private Path application() throws Exception {
        Path app = Files.createDirectories(dir.resolve("workspace").resolve("app"));
        Files.createDirectories(dir.resolve("workspace").resolve("sluice"));
        Path migrations = Files.createDirectories(app.resolve("db").resolve("migration"));
        Files.writeString(migrations.resolve("V1__existing_schema.sql"), HISTORY);
        git(app, "init", "-q", "-b", "main");
        git(app, "add", ".");
        git(app, "commit", "-q", "-m", "the schema as it was");
        return app;
    }

    @Test
    void sarif_isValidSarif210_withPathsFromTheRepositoryRoot_relativeToSrcRoot_withColumnAndEndLine() throws Exception {
        Path app = application();
        Path sarif = dir.resolve("lint.sarif");

        int exit = lint(Map.of(), "lint", app.resolve("db/migration").toString(), "--format", "sarif", "--output", sarif.toString());

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(LintCommandLine.FINDINGS);
        JsonNode location = JSON.readTree(sarif.toFile()).at("/runs/0/results/0/locations/0/physicalLocation");
        assertThat(location.at("/artifactLocation/uri").asText()).isEqualTo("db/migration/V1__existing_schema.sql");
        assertThat(location.at("/artifactLocation/uriBaseId").asText()).isEqualTo("%SRCROOT%");
        assertThat(location.at("/region/startColumn").asInt()).isEqualTo(1);
        assertThat(location.at("/region/endLine").asInt()).isEqualTo(location.at("/region/startLine").asInt());
        Path modules = NodeTools.modules();
        Path validate = dir.resolve("validate.js");
        Files.writeString(validate, "const Ajv = require(process.argv[2] + '/ajv-draft-04');\n"
                + "const addFormats = require(process.argv[2] + '/ajv-formats');\n"
                + "const fs = require('fs');\n"
                + "const ajv = new Ajv({strict: false, allErrors: true, unicodeRegExp: false}); addFormats(ajv);\n"
                + "const check = ajv.compile(JSON.parse(fs.readFileSync(process.argv[3], 'utf8')));\n"
                + "if (!check(JSON.parse(fs.readFileSync(process.argv[4], 'utf8')))) { console.log(JSON.stringify(check.errors)); process.exit(1); }\n"
                + "console.log('valid');\n");
        assertThat(NodeTools.node(validate, modules.toAbsolutePath().toString(), NodeTools.sarifSchema().toAbsolutePath().toString(),
                sarif.toString())).isEqualTo("valid\n");
    }

    @Test
    void githubAnnotations_nameTheFileFromTheRepositoryRoot_whereverSluiceIsCheckedOut() throws Exception {
        Path app = application();

        lint(Map.of(), "lint", app.resolve("db/migration").toString(), "--format", "github");

        assertThat(printed()).contains("::error file=db/migration/V1__existing_schema.sql,line=4,endLine=4,col=1,"
                + "title=require-concurrent-index-creation::the index on customers is built without CONCURRENTLY.")
                .doesNotContain(dir.toString());
    }

    @Test
    void since_theBaseOfAPullRequest_onlyTheNewScriptsFindingsCount_theHistorysNeverFail() throws Exception {
        Path app = application();
        git(app, "checkout", "-q", "-b", "feature");
        Path migrations = app.resolve("db/migration");
        Files.writeString(migrations.resolve("V2__status_index.sql"), "CREATE INDEX orders_status ON orders(status);\n");
        git(app, "add", ".");
        git(app, "commit", "-q", "-m", "an index");
        Files.writeString(migrations.resolve("V3__drop_placed.sql"), "ALTER TABLE orders DROP COLUMN placed;\n");

        int history = lint(Map.of(), "lint", migrations.toString(), "--format", "github");
        String all = printed();
        out.reset();
        int exit = lint(Map.of(), "lint", migrations.toString(), "--since", "main", "--format", "github");

        assertThat(history).isEqualTo(LintCommandLine.FINDINGS);
        assertThat(all).contains("file=db/migration/V1__existing_schema.sql");
        assertThat(exit).isEqualTo(LintCommandLine.FINDINGS);
        List<String> annotations = printed().lines().filter(line -> line.startsWith("::")).toList();
        assertThat(annotations).extracting(line -> line.substring(0, line.indexOf("::", 2)))
                .containsExactly("::error file=db/migration/V2__status_index.sql,line=1,endLine=1,col=1,title=require-concurrent-index-creation",
                        "::error file=db/migration/V3__drop_placed.sql,line=1,endLine=1,col=1,title=ban-drop-column");
        assertThat(printed()).contains("linted 2 of 3 script(s): added or changed since main; the other 1 read as history, without findings");
        // The history was read: the index is on a table it created, which the message names as the table.
        assertThat(annotations.get(0)).contains("the index on orders is built without CONCURRENTLY");

        out.reset();
        git(app, "add", ".");
        git(app, "commit", "-q", "-m", "drop");
        Files.writeString(migrations.resolve("V3__drop_placed.sql"), "ALTER TABLE orders ALTER COLUMN placed TYPE timestamptz;\n");
        assertThat(lint(Map.of(), "lint", migrations.toString(), "--since", "HEAD", "--format", "github")).isEqualTo(LintCommandLine.FINDINGS);
        assertThat(printed()).contains("linted 1 of 3 script(s)").contains("file=db/migration/V3__drop_placed.sql").doesNotContain("V2__");
    }

    @Test
    void since_refusesWhatIsNotARef_andSaysWhatGitSaid() throws Exception {
        Path app = application();
        String folder = app.resolve("db/migration").toString();

        assertThat(lint(Map.of(), "lint", folder, "--since", "--output=/etc/passwd")).isEqualTo(LintCommandLine.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("sluice lint: Expected parameter for option '--since' but found '--output=/etc/passwd'");
        err.reset();
        assertThat(lint(Map.of(), "lint", folder, "--since", "no-such-branch")).isEqualTo(LintCommandLine.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("lint: git diff in " + app + " failed: fatal: ").contains("'no-such-branch'");
        assertThat(printed()).isEmpty();
    }

    @Test
    void pending_lintsWhatTheDatabasesHistoryHasNotApplied_andAnUnreachableDatabaseExitsThree() throws Exception {
        Path app = application();
        Path migrations = app.resolve("db/migration");
        Files.writeString(migrations.resolve("V2__status_index.sql"), "CREATE INDEX orders_status ON orders(status);\n");
        TestDatabase db = PostgresServer.get().newDatabase();
        try (Connection connection = db.connect(); Statement sql = connection.createStatement()) {
            sql.execute("CREATE TABLE flyway_schema_history (installed_rank int PRIMARY KEY, version varchar(50), description varchar(200),"
                    + " type varchar(20), script varchar(1000), checksum int, installed_by varchar(100), installed_on timestamp DEFAULT now(),"
                    + " execution_time int, success boolean)");
            sql.execute("INSERT INTO flyway_schema_history VALUES (1, '1', 'existing schema', 'SQL', 'V1__existing_schema.sql', 1, 'app',"
                    + " now(), 5, true)");
        }
        Map<String, String> environment = Map.of("PGPASSWORD", PostgresServer.APP_PASSWORD);

        int exit = lint(environment, "lint", migrations.toString(), "--pending", "--database", db.jdbcUrl(), "--user", PostgresServer.APP_USER,
                "--format", "github");

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isEqualTo(LintCommandLine.FINDINGS);
        assertThat(printed().lines().filter(line -> line.startsWith("::"))).singleElement().asString()
                .startsWith("::error file=db/migration/V2__status_index.sql,line=1,endLine=1,col=1,title=require-concurrent-index-creation::");
        assertThat(printed()).contains("linted 1 of 2 script(s): not applied to " + db.jdbcUrl());

        out.reset();
        assertThat(lint(environment, "lint", migrations.toString(), "--pending", "--database", "jdbc:postgresql://127.0.0.1:1/app", "--user",
                PostgresServer.APP_USER)).isEqualTo(LintCommandLine.DATABASE);
        assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("lint: DatabaseUnavailable: ");
        err.reset();
        assertThat(lint(Map.of(), "lint", migrations.toString(), "--pending", "--database", db.jdbcUrl(), "--user", PostgresServer.APP_USER))
                .isEqualTo(LintCommandLine.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("lint: set PGPASSWORD to the password of " + PostgresServer.APP_USER + "\n");
    }
}
