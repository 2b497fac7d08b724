package io.sluice.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.sluice.event.LintFinding;
import io.sluice.event.LintReport;
import io.sluice.migration.Script;
import io.sluice.migration.Transactionality;

/**
 * Walks {@code src/test/resources/lint/<rule-id>/<case>_ok.sql} and {@code <case>_err.sql}: an ok fixture gives no
 * finding of its rule; an err fixture exactly the findings its {@code -- expect: <line>: <message>} lines list, in
 * order. Everything above a {@code -- fixture: history above} line is an earlier migration (applied, read for the
 * schema it leaves, not linted). Fixtures are linted as Sluice will run them (in a transaction unless they hold a
 * statement that cannot run in one).
 */
class LintRulesTest {

    private static final Path FIXTURES = Path.of("src/test/resources/lint");
    private static final Pattern EXPECT = Pattern.compile("(?m)^-- expect: (\\d+: .*)$");
    private static final String HISTORY_END = "-- fixture: history above";

    static Stream<Path> fixtures() throws IOException {
        try (Stream<Path> files = Files.walk(FIXTURES)) {
            return files.filter(file -> file.toString().endsWith(".sql")).sorted().toList().stream();
        }
    }

    static List<LintFinding> findings(Path fixture) throws IOException {
        String text = Files.readString(fixture);
        List<Script> history = List.of();
        int end = text.indexOf(HISTORY_END);
        if (end >= 0) {
            String earlier = text.substring(0, end);
            history = List.of(new Script("V1__history.sql", earlier));
            // The same lines, the history blanked: findings keep the fixture's line numbers.
            text = earlier.replaceAll("[^\\n]", " ") + text.substring(end);
        }
        Script script = new Script(fixture.getFileName().toString(), text);
        LintReport report = new Linter(LintPolicy.defaults()).lint(history, List.of(script), s -> Transactionality.isTransactional(s, null));
        String rule = fixture.getParent().getFileName().toString();
        return report.findings().stream().filter(finding -> finding.rule().equals(rule)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void fixture_givesTheFindingsItExpects(Path fixture) throws IOException {
        List<LintFinding> found = findings(fixture);
        if (fixture.getFileName().toString().endsWith("_ok.sql")) {
            assertThat(found).as(fixture.toString()).isEmpty();
        } else {
            List<String> expected = new java.util.ArrayList<>();
            Matcher expect = EXPECT.matcher(Files.readString(fixture));
            while (expect.find()) {
                expected.add(expect.group(1));
            }
            assertThat(expected).as(fixture + " needs '-- expect: <line>: <message>' lines").isNotEmpty();
            assertThat(found).extracting(finding -> finding.line() + ": " + finding.message()).as(fixture.toString())
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void everyRule_hasOkAndErrFixtures_andEveryFixtureFolderIsARule() throws IOException {
        List<String> ids = Rules.all().stream().map(Rule::id).toList();
        try (Stream<Path> folders = Files.list(FIXTURES)) {
            assertThat(folders.map(folder -> folder.getFileName().toString()).toList()).containsExactlyInAnyOrderElementsOf(ids);
        }
        for (String id : ids) {
            try (Stream<Path> files = Files.list(FIXTURES.resolve(id))) {
                List<String> names = files.map(file -> file.getFileName().toString()).toList();
                assertThat(names).as(id).anyMatch(name -> name.endsWith("_ok.sql")).anyMatch(name -> name.endsWith("_err.sql"))
                        .as("%s has at least three cases", id).hasSizeGreaterThanOrEqualTo(3);
            }
        }
    }

    @Test
    void everyRule_hasAUniqueKebabIdAndItsTexts() {
        assertThat(Rules.all()).extracting(Rule::id).doesNotHaveDuplicates()
                .allMatch(id -> id.matches("[a-z]+(-[a-z]+)*"));
        assertThat(Rules.all()).allSatisfy(rule -> {
            assertThat(rule.summary()).isNotBlank().doesNotContain("\n");
            assertThat(rule.why()).isNotBlank();
            assertThat(rule.fix()).isNotBlank();
        });
    }
}
