package io.sluice.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.sluice.event.LintFinding;
import io.sluice.event.LintReport;
import io.sluice.migration.Script;
import io.sluice.migration.Transactionality;

/** What the reader-breaking rules say in an expand script and in a contract script. */
class LintPhasesTest {

    private static final Script HISTORY = new Script("V1__customers.sql",
            "CREATE TABLE customers (id bigint PRIMARY KEY, full_name text, email varchar(200), note text);\n");

    private static LintReport lint(Script script) {
        return new Linter(LintPolicy.defaults()).lint(List.of(HISTORY), List.of(script), s -> Transactionality.isTransactional(s, null));
    }

    @Test
    void inAnExpandScript_aDropOrRenameIsAnError_whoseFixSaysToMoveItToAContractScript() {
        LintReport report = lint(new Script("V2__tidy.sql", "SET lock_timeout = '5s';\nALTER TABLE customers DROP COLUMN note;\n"
                + "ALTER TABLE customers RENAME COLUMN full_name TO name;\n"));

        assertThat(report.findings()).extracting(LintFinding::rule, LintFinding::severity, LintFinding::line).containsExactly(
                tuple("ban-drop-column", "ERROR", 2), tuple("renaming-column", "ERROR", 3));
        assertThat(report.findings()).allSatisfy(finding -> assertThat(finding.fix()).endsWith("Under a running application, move this"
                + " statement to a contract script ('-- sluice:phase contract'): the pipeline runs contract scripts after the new"
                + " release serves all traffic."));
    }

    @Test
    void inAContractScript_aDropIsAWarning_andEachFixSaysWhatTheExpandReleaseMustHaveDone() {
        LintReport report = lint(new Script("V2__tidy.sql", "-- sluice:phase contract\nSET lock_timeout = '5s';\n"
                + "ALTER TABLE customers DROP COLUMN note;\nALTER TABLE customers RENAME COLUMN full_name TO name;\n"
                + "ALTER TABLE customers ALTER COLUMN email SET NOT NULL;\n"));

        assertThat(report.findings()).extracting(LintFinding::rule, LintFinding::severity, LintFinding::fix).containsExactly(
                tuple("ban-drop-column", "WARNING", "In a contract script: an earlier release must have stopped reading and writing"
                        + " the column (and kept a copy of its data if it may be needed), so that only the old release, now gone, used"
                        + " it."),
                tuple("renaming-column", "ERROR", "In a contract script: the expand release must have added the new column, kept"
                        + " both in step (a trigger writing both, a batched backfill) and switched the application to it; then drop"
                        + " the old column here instead of renaming."),
                tuple("setting-not-nullable-field", "ERROR", "In a contract script: the expand release must have added CHECK (col"
                        + " IS NOT NULL) NOT VALID, validated it, and made every writer set the column; SET NOT NULL then uses the"
                        + " validated constraint."));
        assertThat(report.changeClass()).as("the data loss still counts").isEqualTo("destructive");
    }
}
