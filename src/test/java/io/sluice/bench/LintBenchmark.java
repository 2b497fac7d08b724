package io.sluice.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.sluice.event.LintReport;
import io.sluice.lint.LintPolicy;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.Linter;
import io.sluice.migration.Script;
import io.sluice.sql.SqlText;

/**
 * Prints lint throughput (statements per second, one thread) on a generated corpus of migration scripts, side by
 * side: splitting only, static rules with JSqlParser's model (the default), and static rules without it
 * ({@code unparsed-statement} off, so JSqlParser is asked only by the column-definition rules). Goal: at least
 * 5,000 statements/s for the static rules. The lock probe needs a database and is measured by LockProbeTest, not
 * here. Run: {@code ./mvnw -q test-compile exec:exec@bench-lint}.
 */
public final class LintBenchmark {

    private static final int SCRIPTS = Integer.getInteger("scripts", 2_000);
    private static final int RUNS = Integer.getInteger("runs", 5);

    private static final String[] TEMPLATES = {
        "CREATE TABLE t%1$d (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name varchar(100) NOT NULL, created_at timestamp, parent_id int REFERENCES t%1$d (id));",
        "ALTER TABLE t%1$d ADD COLUMN note text;",
        "ALTER TABLE t%1$d ADD COLUMN token uuid NOT NULL DEFAULT gen_random_uuid();",
        "CREATE INDEX t%1$d_name_idx ON t%1$d (name) WHERE name IS NOT NULL;",
        "ALTER TABLE t%1$d ADD CONSTRAINT t%1$d_name_check CHECK (length(name) > 0) NOT VALID;",
        "ALTER TABLE t%1$d VALIDATE CONSTRAINT t%1$d_name_check;",
        "UPDATE t%1$d SET note = 'backfilled; value' WHERE note IS NULL AND id < 1000;",
        "CREATE OR REPLACE FUNCTION f%1$d() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.note := 'x;y'; RETURN NEW; END $$;",
        "ALTER TABLE t%1$d ALTER COLUMN note SET NOT NULL;",
        "ALTER TABLE t%1$d RENAME COLUMN note TO remark;",
    };

    private LintBenchmark() {
    }

    public static void main(String[] args) {
        List<Script> corpus = new ArrayList<>();
        int statements = 0;
        for (int i = 0; i < SCRIPTS; i++) {
            StringBuilder sql = new StringBuilder("-- generated script ").append(i).append('\n');
            for (String template : TEMPLATES) {
                sql.append(String.format(template, i)).append('\n');
                statements++;
            }
            corpus.add(new Script("V" + (i + 1) + "__generated.sql", sql.toString()));
        }
        System.out.printf("Corpus: %,d scripts, %,d statements, %,d bytes%n%n", corpus.size(), statements,
                corpus.stream().mapToInt(script -> script.content().length()).sum());

        Linter withParser = new Linter(LintPolicy.defaults());
        Linter withoutParser = new Linter(LintPolicy.defaults().with("unparsed-statement", LintSeverity.OFF));
        int total = statements;
        long split = median(() -> corpus.forEach(script -> SqlText.split(script.content())));
        long full = median(() -> withParser.lint(corpus, script -> true));
        long keywords = median(() -> withoutParser.lint(corpus, script -> true));
        LintReport report = withParser.lint(corpus, script -> true);

        System.out.printf("%-52s %10s %14s%n", "pass (median of " + RUNS + ", one thread)", "ms", "statements/s");
        print("split into statements", split, total);
        print("lint: 32 rules + JSqlParser on every statement", full, total);
        print("lint: 32 rules, JSqlParser only for column rules", keywords, total);
        System.out.printf("%n%,d findings, %,d unparsed statements. Goal: >= 5,000 statements/s -> %s%n", report.findings().size(),
                report.unparsed(), total * 1000L / Math.max(1, full) >= 5_000 ? "met" : "MISSED");
        System.exit(0);
    }

    private static long median(Runnable work) {
        work.run();
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            work.run();
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        Collections.sort(millis);
        return millis.get(millis.size() / 2);
    }

    private static void print(String pass, long millis, int statements) {
        System.out.printf("%-52s %10d %,14d%n", pass, millis, statements * 1000L / Math.max(1, millis));
    }
}
