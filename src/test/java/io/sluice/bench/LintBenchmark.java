package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sluice.event.LintReport;
import io.sluice.lint.LintPolicy;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.Linter;
import io.sluice.migration.Script;
import io.sluice.migration.Transactionality;
import io.sluice.sql.SqlText;
import io.sluice.testing.RealisticHistory;
import io.sluice.testing.ScriptFolder;

/**
 * Lint throughput on a generated history with the statement mix real migrations have (wide tables with constraints,
 * partial and expression indexes, CONCURRENTLY indexes, views, PL/pgSQL functions and triggers, multi-action ALTERs,
 * seeds, backfills, comments), beside squawk 2.70 (PyPI {@code squawk-cli}) on the same files: Sluice warm in-process
 * on one core (the default rules; then with PostgreSQL's grammar checking every statement), Sluice's command line with
 * its JVM start, and squawk's command line. Goal: at least 10,000 statements/s warm with the default rules.
 * Run: {@code ./mvnw -q test-compile exec:exec@bench-lint} ({@code -Dbench.versions=3000}).
 */
public final class LintBenchmark {

    private static final int VERSIONS = Integer.getInteger("bench.versions", 3_000);
    private static final int RUNS = Integer.getInteger("bench.runs", 5);
    private static final String SQUAWK = "2.70.0";

    private LintBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path folder = Files.createTempDirectory("sluice-lint-corpus");
        RealisticHistory.write(new ScriptFolder(folder), VERSIONS);
        List<Script> corpus = new ArrayList<>();
        try (var files = Files.list(folder)) {
            for (Path file : files.sorted().toList()) {
                corpus.add(new Script(file.getFileName().toString(), Files.readString(file)));
            }
        }
        int statements = corpus.stream().mapToInt(script -> SqlText.split(script.content()).size()).sum();
        System.out.printf("Corpus: %,d scripts, %,d statements, %,d bytes (generated: the real statement mix)%n%n", corpus.size(),
                statements, corpus.stream().mapToInt(script -> script.content().length()).sum());

        Linter defaults = new Linter(LintPolicy.defaults());
        Linter grammar = new Linter(LintPolicy.defaults().with("unparsed-statement", LintSeverity.INFO));
        long sluice = median(() -> defaults.lint(corpus, script -> Transactionality.isTransactional(script, null)));
        long sluiceGrammar = median(() -> grammar.lint(corpus, script -> Transactionality.isTransactional(script, null)));
        LintReport report = grammar.lint(corpus, script -> Transactionality.isTransactional(script, null));
        long cli = cli(folder);
        long squawk = squawk(folder, corpus);

        System.out.printf("%-62s %10s %14s%n", "one core; in-process: median of " + RUNS + " warm runs", "ms", "statements/s");
        print("Sluice lint, default rules (warm, in-process)", sluice, statements);
        print("Sluice lint, + PostgreSQL's grammar on every statement", sluiceGrammar, statements);
        print("Sluice lint command line (JVM start included)", cli, statements);
        if (squawk > 0) {
            print("squawk " + SQUAWK + " command line", squawk, statements);
        } else {
            System.out.println("squawk " + SQUAWK + ": not available here (pip install squawk-cli==" + SQUAWK + ")");
        }
        long perSecond = statements * 1000L / Math.max(1, sluice);
        System.out.printf("%n%,d findings; %,d statements PostgreSQL's grammar does not accept. Goal: >= 10,000 statements/s warm -> %s%n",
                report.findings().size(), report.unparsed(), perSecond >= 10_000 ? "met" : "MISSED");
        System.exit(0);
    }

    /** Sluice's lint command line over the folder in a JVM of its own, as CI runs it: wall time. */
    private static long cli(Path folder) throws IOException, InterruptedException {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:ActiveProcessorCount=1", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "io.sluice.cli.LintCommandLine", folder.toString(), "--format", "text")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor(10, TimeUnit.MINUTES);
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        Collections.sort(millis);
        return millis.get(1);
    }

    /** squawk over every file of the folder in one process (installed into target/ci-tools/squawk); 0 when unavailable. */
    private static long squawk(Path folder, List<Script> corpus) throws IOException, InterruptedException {
        Path venv = Path.of("target", "ci-tools", "squawk");
        Path squawk = venv.resolve("bin").resolve("squawk");
        if (!Files.isExecutable(squawk)) {
            Process install = new ProcessBuilder("sh", "-c", "python3 -m venv " + venv + " && " + venv.resolve("bin").resolve("pip")
                    + " install --quiet --disable-pip-version-check squawk-cli==" + SQUAWK)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!install.waitFor(5, TimeUnit.MINUTES) || install.exitValue() != 0 || !Files.isExecutable(squawk)) {
                return 0;
            }
        }
        List<String> command = new ArrayList<>(List.of(squawk.toString()));
        corpus.forEach(script -> command.add(folder.resolve(script.path()).toString()));
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long start = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            process.waitFor(10, TimeUnit.MINUTES);
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        Collections.sort(millis);
        return millis.get(1);
    }

    private static long median(Runnable work) {
        work.run();
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
        System.out.printf("%-62s %10d %,14d%n", pass, millis, statements * 1000L / Math.max(1, millis));
    }
}
