package io.sluice.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import io.sluice.error.Echo;
import io.sluice.error.SluiceException;
import io.sluice.event.LintFinding;
import io.sluice.event.LintReport;
import io.sluice.event.MigrationSource;
import io.sluice.files.FileRoots;
import io.sluice.lint.LintPolicy;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.Linter;
import io.sluice.lint.Sarif;
import io.sluice.migration.Script;
import io.sluice.migration.ScriptLoader;
import io.sluice.migration.ScriptSet;

/**
 * {@code sluice lint PATH...}: lints migration scripts for pull-request checks: one folder (undo scripts, which drop by
 * design, only with {@code --include-undo}), or script files, each on its own. Exit code 0 when no finding is at or
 * above {@code --fail-on} (error by default), 1 when one is, 2 for a usage or read error, 3 when {@code --pending}
 * cannot read the database.
 *
 * <pre>
 * lint PATH... [--format text|json|sarif|github] [--fail-on warning|error] [--output FILE] [--severity RULE=LEVEL]...
 *      [--include-undo] [--since REF | --pending --url URL --user USER [--schema S]] [--base-dir DIR]
 * </pre>
 *
 * <p>{@code --since REF} lints only the scripts git says were added or changed since {@code REF} (a pull request's
 * base); {@code --pending} only those the database's Flyway history has not applied (password from
 * {@code PGPASSWORD}). The other scripts are read as history, for what they create, and draw no findings: an
 * applied script cannot change, so its findings could never be fixed. SARIF URIs and annotation paths are from the
 * repository's root (the folder's git top-level, or {@code --base-dir}).
 */
@Command(name = "lint", mixinStandardHelpOptions = true, description = "Lint migration scripts: a folder, or files, with the rules"
        + " of sluice.lint; text, JSON, SARIF or GitHub annotations.")
public final class LintCommandLine implements Callable<Integer> {

    public static final int CLEAN = 0;
    public static final int FINDINGS = 1;
    public static final int USAGE = 2;
    public static final int DATABASE = 3;

    private final Sluice.Console console;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "PATH", description = "one folder of scripts, or script files")
    List<Path> paths;

    @Option(names = "--format", description = "text (default), json, sarif or github")
    String format = "text";

    @Option(names = "--fail-on", description = "the findings that fail the command: error (default) or warning")
    DatabaseCommands.FailOn failOn = DatabaseCommands.FailOn.ERROR;

    @Option(names = "--output", paramLabel = "FILE", description = "write the report there, a summary to standard output")
    Path output;

    @Option(names = "--severity", paramLabel = "RULE=LEVEL", description = "a rule's severity: error, warning, info or off (repeatable)")
    List<String> severities = new ArrayList<>();

    @Option(names = "--include-undo", description = "lint undo scripts too")
    boolean includeUndo;

    @Option(names = "--since", paramLabel = "REF", description = "lint what git says was added or changed since REF; the rest is history")
    String since;

    @Option(names = "--pending", description = "lint what the database's history has not applied; the rest is history")
    boolean pending;

    @Option(names = {"--url", "--database"}, paramLabel = "JDBC_URL", description = "--pending's database")
    String database;

    @Option(names = "--user", description = "--pending's user (password from PGPASSWORD)")
    String user;

    @Option(names = "--schema", description = "--pending's schema; default public")
    String schema = "public";

    @Option(names = "--base-dir", paramLabel = "DIR", description = "the repository root SARIF and annotation paths start from")
    Path baseDir;

    LintCommandLine(Sluice.Console console) {
        this.console = console;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs {@code lint} with {@code args} (with or without the leading {@code lint}); returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    /** The same with {@code environment} ({@code PGPASSWORD} for {@code --pending}). */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        return Sluice.run(Sluice.under("lint", args), new Sluice.Console(environment, out, err, Path.of("").toAbsolutePath(), false));
    }

    @Override
    public Integer call() {
        PrintStream out = console.out();
        PrintStream err = console.err();
        LintPolicy policy = LintPolicy.defaults();
        for (String severity : severities) {
            String[] pair = severity.split("=", 2);
            if (pair.length != 2) {
                throw usage("--severity takes RULE=LEVEL");
            }
            policy = policy.with(pair[0], LintSeverity.parse(pair[1]));
        }
        if (!List.of("text", "json", "sarif", "github").contains(format)) {
            throw usage("--format must be text, json, sarif or github");
        }
        if (since != null && pending) {
            throw usage("--since and --pending exclude each other");
        }
        if (pending && (database == null || user == null)) {
            throw usage("--pending needs --url URL and --user USER (the password from PGPASSWORD)");
        }
        if (!pending && (database != null || user != null)) {
            throw usage("--url and --user go with --pending");
        }
        List<Path> resolved = paths.stream().map(path -> console.workingDirectory().resolve(path).normalize()).toList();
        boolean folder = resolved.size() == 1 && Files.isDirectory(resolved.get(0));
        for (Path path : resolved) {
            if (!Files.exists(path)) {
                throw usage("no such file or folder: " + Echo.value(path.toString()));
            }
            if (!folder && Files.isDirectory(path)) {
                throw usage("name one folder, or script files: " + Echo.value(path.toString()) + " is a folder among other paths");
            }
        }
        if (!folder && (since != null || pending)) {
            throw usage("--since and --pending select among a folder's scripts: name the folder");
        }
        Repository repository = Repository.of(folder ? resolved.get(0) : console.workingDirectory(), baseDir == null ? null
                : console.workingDirectory().resolve(baseDir));
        LintReport report;
        try {
            report = folder ? lintFolder(resolved.get(0).toString(), repository, policy) : lintFiles(resolved, policy);
        } catch (SluiceException | IllegalArgumentException e) {
            err.println("lint: " + e.getMessage());
            return USAGE;
        } catch (PendingScripts.Unreadable e) {
            err.println("lint: " + e.getMessage());
            return DATABASE;
        } catch (IOException e) {
            err.println("lint: cannot read: " + Echo.value(String.valueOf(e.getMessage())));
            return USAGE;
        }
        try {
            String rendered = render(report, format, folder ? repository.folderPath() : repository.folderPath());
            if (output != null) {
                Files.writeString(console.workingDirectory().resolve(output), rendered, StandardCharsets.UTF_8);
                out.println(summary(report) + " Report: " + output);
            } else {
                out.print(rendered);
            }
        } catch (IOException e) {
            err.println("lint: cannot write " + output + ": " + e.getMessage());
            return USAGE;
        }
        boolean failed = report.findings().stream().anyMatch(finding -> failOn.reached(finding.severity()));
        return failed ? FINDINGS : CLEAN;
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** A folder's scripts: those selected by {@code --since} or {@code --pending} linted, the others read as history. */
    private LintReport lintFolder(String folder, Repository repository, LintPolicy policy) throws PendingScripts.Unreadable {
        ScriptSet scripts = new ScriptLoader(FileRoots.of(List.of(folder))).load(MigrationSource.parse("filesystem:" + folder));
        boolean undo = includeUndo;
        List<Script> sql = scripts.all().stream().filter(script -> script.kind() != Script.Kind.CONFIG)
                .filter(script -> undo || script.kind() != Script.Kind.UNDO).toList();
        Predicate<String> linted = script -> true;
        if (since != null) {
            Set<String> changed = repository.changedSince(since);
            linted = changed::contains;
        } else if (pending) {
            String password = console.environment().get("PGPASSWORD");
            if (password == null || password.isEmpty()) {
                throw new IllegalArgumentException("set PGPASSWORD to the password of " + user);
            }
            Set<String> applied = PendingScripts.applied(database, user, password, schema, folder);
            linted = script -> !applied.contains(script);
        }
        Predicate<String> selected = linted;
        List<Script> history = sql.stream().filter(script -> !selected.test(script.path())).toList();
        List<Script> changed = sql.stream().filter(script -> selected.test(script.path())).toList();
        LintReport report = new Linter(policy).lint(history, changed, scripts::isTransactional);
        if (since != null || pending) {
            // Beside a JSON or SARIF document on standard output, on standard error: the document stays one document.
            PrintStream note = output == null && List.of("json", "sarif").contains(format) ? console.err() : console.out();
            note.printf("linted %d of %d script(s): %s; the other %d read as history, without findings%n", changed.size(), sql.size(),
                    since != null ? "added or changed since " + since : "not applied to " + Echo.value(database), history.size());
        }
        return report;
    }

    /** Script files, each on its own (with its {@code .sql.conf} when it has one), named from the working directory. */
    private LintReport lintFiles(List<Path> files, LintPolicy policy) throws IOException {
        List<Script> scripts = new ArrayList<>();
        Map<String, ScriptSet> sets = new java.util.HashMap<>();
        for (Path file : files) {
            Path absolute = file.toAbsolutePath().normalize();
            Path base = console.workingDirectory().toAbsolutePath().normalize();
            String name = absolute.startsWith(base) ? base.relativize(absolute).toString() : absolute.toString();
            Script script = new Script(name, Files.readString(absolute, StandardCharsets.UTF_8));
            List<Script> set = new ArrayList<>(List.of(script));
            Path conf = absolute.resolveSibling(absolute.getFileName() + ".conf");
            if (Files.isRegularFile(conf)) {
                set.add(new Script(name + ".conf", Files.readString(conf, StandardCharsets.UTF_8)));
            }
            scripts.add(script);
            sets.put(name, new ScriptSet(MigrationSource.parse("filesystem:" + absolute.getParent()), set));
        }
        return new Linter(policy).lint(List.of(), scripts, script -> sets.get(script.path()).isTransactional(script));
    }

    private static String render(LintReport report, String format, String folder) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        return switch (format) {
            case "json" -> json.writeValueAsString(report) + "\n";
            case "sarif" -> json.writeValueAsString(Sarif.of(report, folder)) + "\n";
            case "github" -> String.join("\n", Sarif.githubAnnotations(report, folder)) + "\n" + summary(report) + "\n";
            default -> text(report);
        };
    }

    private static String text(LintReport report) {
        StringBuilder text = new StringBuilder();
        for (LintFinding finding : report.findings()) {
            text.append(String.format("%s:%d: %s [%s] %s%n    %s%n    fix: %s%n", finding.script(), finding.line(),
                    finding.severity().toLowerCase(), finding.rule(), Echo.line(finding.message()), finding.statement(), finding.fix()));
        }
        return text.append(summary(report)).append('\n').toString();
    }

    private static String summary(LintReport report) {
        return String.format("%d script(s), %d statement(s) (%d unparsed), %d finding(s), %d error(s); change class %s,"
                + " %d approval(s) required.", report.scripts(), report.statements(), report.unparsed(), report.findings().size(),
                report.errors(), report.changeClass(), report.approvalsRequired());
    }
}
