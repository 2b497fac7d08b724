package io.sluice.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.cli.LintCommandLine;
import io.sluice.event.LintFinding;
import io.sluice.event.LintReport;
import io.sluice.migration.Script;
import io.sluice.migration.Transactionality;
import io.sluice.testing.ScriptFolder;

class LinterTest {

    private static LintReport lint(LintPolicy policy, String... scripts) {
        List<Script> list = new java.util.ArrayList<>();
        for (int i = 0; i < scripts.length; i++) {
            list.add(new Script("V" + (i + 1) + "__s.sql", scripts[i]));
        }
        return new Linter(policy).lint(list, script -> Transactionality.isTransactional(script, null));
    }

    @Test
    void suppressionOnOrAboveTheStatement_silencesThatRuleOnly_andUnusedOnesAreReported() {
        LintReport report = lint(LintPolicy.defaults(), """
                -- sluice:ignore ban-drop-column
                ALTER TABLE orders DROP COLUMN legacy;
                ALTER TABLE orders DROP COLUMN other; -- sluice:ignore ban-drop-column, renaming-table
                ALTER TABLE orders DROP COLUMN third;
                -- sluice:ignore no-such-rule
                SELECT 1;
                """);

        assertThat(report.findings()).extracting(LintFinding::rule, LintFinding::line).containsExactly(
                tuple("ban-drop-column", 4),
                tuple("unused-suppression", 3),
                tuple("unused-suppression", 5));
        assertThat(report.findings().get(1).message()).contains("renaming-table matches no finding");
        assertThat(report.findings().get(2).message()).contains("there is no rule no-such-rule");
    }

    @Test
    void backslashAtTheEndOfAPlainString_isNoEscape_soTextInTheNextStringIsNeverTakenForSql() {
        LintReport report = lint(LintPolicy.defaults(),
                "INSERT INTO notes (path, body) VALUES ('C:\\', 'ALTER TABLE orders ALTER COLUMN total DROP NOT NULL');\n"
                        + "ALTER TABLE orders ALTER COLUMN note DROP NOT NULL;\n");

        assertThat(report.findings()).extracting(LintFinding::rule, LintFinding::line)
                .containsExactly(tuple("ban-drop-not-null", 2));
    }

    @Test
    void severityComesFromConfiguration_notFromTheRule() {
        String script = "CREATE TABLE notes (id bigint PRIMARY KEY, title varchar(100));\nALTER TABLE orders DROP COLUMN x;\n";

        LintReport defaults = lint(LintPolicy.defaults(), script);
        LintReport tuned = lint(LintPolicy.defaults().with("prefer-text-field", LintSeverity.ERROR)
                .with("ban-drop-column", LintSeverity.OFF), script);

        assertThat(defaults.findings()).extracting(LintFinding::rule, LintFinding::severity)
                .contains(tuple("prefer-text-field", "WARNING"), tuple("ban-drop-column", "ERROR"));
        assertThat(tuned.findings()).extracting(LintFinding::rule, LintFinding::severity)
                .contains(tuple("prefer-text-field", "ERROR")).noneMatch(t -> t.toList().contains("ban-drop-column"));
    }

    @Test
    void unknownRuleInConfiguration_isRefused() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LintPolicy(Map.of("no-such-rule", LintSeverity.OFF), Map.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unknown rule 'no-such-rule'");
    }

    @Test
    void changeClass_isTheRiskiestStatement_andSetsTheApprovals() {
        assertThat(lint(LintPolicy.defaults(), "CREATE TABLE a (id bigint);\nALTER TABLE a ADD COLUMN note text;\n"))
                .extracting(LintReport::changeClass, LintReport::approvalsRequired).containsExactly("minor", 1);
        assertThat(lint(LintPolicy.defaults(), "ALTER TABLE orders ALTER COLUMN total TYPE numeric(14,2);\n"))
                .extracting(LintReport::changeClass, LintReport::approvalsRequired).containsExactly("major", 2);
        assertThat(lint(LintPolicy.defaults(), "CREATE TABLE a (id bigint);", "UPDATE orders SET status = 'new' WHERE status IS NULL;"))
                .extracting(LintReport::changeClass, LintReport::approvalsRequired).containsExactly("data", 3);
        assertThat(lint(LintPolicy.defaults(), "INSERT INTO a VALUES (1);", "TRUNCATE audit;"))
                .extracting(LintReport::changeClass, LintReport::approvalsRequired).containsExactly("destructive", 3);
    }

    /**
     * The disguises of the security review: each spelling is classed, and found, exactly as the plain one is (the same
     * class, approvals and findings by rule and line), whatever Unicode escapes hide a name or a body in.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity;                 | SELECT U&"pg_termin\\0061te_backend"(pid) FROM pg_stat_activity;
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity;                 | SELECT U&"pg_termin!0061te_backend" UESCAPE '!'(pid) FROM pg_stat_activity;
            CREATE FUNCTION pwn() RETURNS void LANGUAGE sql AS 'ALTER ROLE app PASSWORD ''x''';  | CREATE FUNCTION pwn() RETURNS void LANGUAGE sql AS U&'ALTER \\0052OLE app PASSWORD ''x''';
            CREATE EXTENSION dblink;                                                | CREATE EXTENSION U&"dblin\\006b";
            DROP TABLE orders;                                                      | DROP TABLE U&"\\+00006Frders";
            CREATE VIEW v AS SELECT pg_cancel_backend(1);                           | CREATE VIEW v AS SELECT u&"pg_cancel_backend"(1);
            """)
    void aUnicodeEscapedSpelling_isClassedAndFoundAsThePlainOne(String plain, String disguised) {
        LintReport plainReport = lint(LintPolicy.defaults(), plain + "\n");
        LintReport disguisedReport = lint(LintPolicy.defaults(), disguised + "\n");

        assertThat(disguisedReport.changeClass()).isEqualTo(plainReport.changeClass());
        assertThat(disguisedReport.approvalsRequired()).isEqualTo(plainReport.approvalsRequired()).isGreaterThan(1);
        assertThat(disguisedReport.findings()).extracting(LintFinding::rule, LintFinding::line)
                .containsExactlyElementsOf(plainReport.findings().stream().map(f -> tuple(f.rule(), f.line())).toList());
    }

    @Test
    void queryTextRunAtRunTime_isMajor_andTheKillInItsLiteralIsFound() {
        LintReport report = lint(LintPolicy.defaults(),
                "SELECT query_to_xml('SELECT pg_terminate_backend(pid) FROM pg_stat_activity', true, true, '');\n");
        LintReport dynamic = lint(LintPolicy.defaults(), "SELECT cursor_to_xml(c, 10, true, true, '') FROM (SELECT 'c'::refcursor AS c) x;\n"
                + "SELECT ts_stat('SELECT to_tsvector(body) FROM notes');\n");

        assertThat(report.changeClass()).isEqualTo("major");
        assertThat(report.findings()).extracting(LintFinding::rule, LintFinding::line, LintFinding::message)
                .contains(tuple("server-wide-statement", 1,
                        "pg_terminate_backend() (acts on other sessions, the server, its files or other databases) acts beyond this database"));
        assertThat(dynamic.changeClass()).isEqualTo("major");
    }

    @Test
    void statementsTheGrammarRejects_areStillLinted_andNamedWhenAsked() {
        String script = "ALTER TABLE orders ADD CONSTRAINT c CHECK (total > 0);\nVACUUM FULL orders;\nCREAT TABLE t (id bigint);\n";

        LintReport defaults = lint(LintPolicy.defaults(), script);
        LintReport asked = lint(LintPolicy.defaults().with("unparsed-statement", LintSeverity.INFO), script);

        assertThat(defaults.statements()).isEqualTo(3);
        assertThat(defaults.unparsed()).as("not checked at the default level").isZero();
        assertThat(defaults.findings()).extracting(LintFinding::rule, LintFinding::line).containsExactlyInAnyOrder(
                tuple("constraint-missing-not-valid", 1), tuple("ban-vacuum-full", 2));
        assertThat(asked.unparsed()).isEqualTo(1);
        assertThat(asked.findings()).filteredOn(finding -> finding.rule().equals("unparsed-statement"))
                .extracting(LintFinding::line, LintFinding::severity, LintFinding::message)
                .containsExactly(tuple(3, "INFO", "PostgreSQL's grammar does not accept this statement; the rules checked it by its keywords"));
    }

    @Test
    void sarif_isVersion210_withRulesAndLocations() {
        LintReport report = lint(LintPolicy.defaults(), "SELECT 1;\nDROP TABLE orders;\n");

        Map<String, Object> sarif = Sarif.of(report, "db/migration");
        JsonNode json = new ObjectMapper().valueToTree(sarif);

        assertThat(json.get("version").asText()).isEqualTo("2.1.0");
        JsonNode run = json.get("runs").get(0);
        assertThat(run.get("tool").get("driver").get("rules").findValuesAsText("id")).contains("ban-drop-table", "unused-suppression");
        JsonNode result = run.get("results").get(0);
        assertThat(result.get("ruleId").asText()).isEqualTo("ban-drop-table");
        assertThat(result.get("level").asText()).isEqualTo("error");
        JsonNode location = result.get("locations").get(0).get("physicalLocation");
        assertThat(location.get("artifactLocation").get("uri").asText()).isEqualTo("db/migration/V1__s.sql");
        assertThat(location.get("region").get("startLine").asInt()).isEqualTo(2);
    }

    @Test
    void githubAnnotations_areWorkflowCommands() {
        LintReport report = lint(LintPolicy.defaults(), "DROP TABLE orders;\n");

        assertThat(Sarif.githubAnnotations(report, "db")).singleElement().asString()
                .startsWith("::error file=db/V1__s.sql,line=1,endLine=1,col=1,title=ban-drop-table::table orders is dropped with its data.");
    }

    @Test
    void commandLine_exitCodes_areZeroOneTwo(@TempDir Path dir) throws Exception {
        new ScriptFolder(dir.resolve("clean")).with("V1__a.sql", "CREATE TABLE a (id bigint PRIMARY KEY);");
        new ScriptFolder(dir.resolve("dirty")).with("V1__a.sql", "DROP TABLE a;").with("U1__a.sql", "SELECT 1;");

        assertThat(cli("lint", dir.resolve("clean").toString())).isEqualTo(LintCommandLine.CLEAN);
        assertThat(cli("lint", dir.resolve("dirty").toString())).isEqualTo(LintCommandLine.FINDINGS);
        assertThat(cli("lint", dir.resolve("dirty").toString(), "--severity", "ban-drop-table=warning")).isEqualTo(LintCommandLine.CLEAN);
        assertThat(cli("lint")).isEqualTo(LintCommandLine.USAGE);
        assertThat(cli("lint", dir.resolve("nope").toString())).isEqualTo(LintCommandLine.USAGE);
        assertThat(cli("lint", dir.toString(), "--format", "xml")).isEqualTo(LintCommandLine.USAGE);

        Path sarif = dir.resolve("lint.sarif");
        assertThat(cli("lint", dir.resolve("dirty").toString(), "--format", "sarif", "--output", sarif.toString()))
                .isEqualTo(LintCommandLine.FINDINGS);
        assertThat(new ObjectMapper().readTree(sarif.toFile()).get("runs").get(0).get("results")).hasSize(1);
    }

    private static int cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        return LintCommandLine.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
    }

    @Test
    void theReadmesRuleCount_theTablesRows_andSarifsDriver_areTheOneListOfRules() throws Exception {
        int rules = Rules.described().size();
        String readme = Files.readString(Path.of("README.md"));
        JsonNode driver = new ObjectMapper().valueToTree(Sarif.of(lint(LintPolicy.defaults(), "SELECT 1;\n"), "")).at("/runs/0/tool/driver/rules");

        assertThat(readme).contains("**lint** with " + rules + " rules");
        assertThat(driver.findValuesAsText("id")).containsExactlyElementsOf(Rules.described().stream().map(Rules.Description::id).toList());
        assertThat(RuleTable.markdown().lines().count() - 2).isEqualTo(rules);
    }

    @Test
    void readmeRuleTable_isTheGeneratedOne_exactly() throws Exception {
        List<String> readme = Files.readAllLines(Path.of("README.md"));
        int start = readme.indexOf("| id | default | what | why | fix |");
        int end = start;
        while (end < readme.size() && readme.get(end).startsWith("|")) {
            end++;
        }
        assertThat(start).as("the README's rule table").isNotNegative();
        assertThat(String.join("\n", readme.subList(start, end)) + "\n")
                .as("README's rule table; regenerate with: java -cp target/classes:<deps> io.sluice.lint.RuleTable")
                .isEqualTo(RuleTable.markdown());
    }
}
