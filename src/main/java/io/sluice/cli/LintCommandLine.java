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
import java.util.function.Predicate;

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
 * {@code sluice lint <folder>}: lints the migration scripts of a folder (undo scripts, which drop by design, only
 * with {@code --include-undo}), for pull-request checks. Exit code 0
 * when no finding is at error level, 1 when one is, 2 for a usage or read error.
 *
 * <pre>
 * lint &lt;folder&gt; [--format text|json|sarif|github] [--output FILE] [--severity RULE=LEVEL]... [--include-undo]
 *      [--since REF | --pending --database URL --user USER [--schema S]] [--base-dir DIR]
 * </pre>
 *
 * <p>{@code --since REF} lints only the scripts git says were added or changed since {@code REF} (a pull request's
 * base); {@code --pending} only those the database's Flyway history has not applied (password from
 * {@code PGPASSWORD}). The other scripts are read as history, for what they create, and draw no findings: an
 * applied script cannot change, so its findings could never be fixed. SARIF URIs and annotation paths are from the
 * repository's root (the folder's git top-level, or {@code --base-dir}). Exit 3 when the database cannot be read.
 */
public final class LintCommandLine {

    public static final int CLEAN = 0;
    public static final int FINDINGS = 1;
    public static final int USAGE = 2;
    public static final int DATABASE = 3;

    private static final String USAGE_TEXT = "usage: lint <folder> [--format text|json|sarif|github] [--output FILE]"
            + " [--severity RULE=error|warning|info|off]... [--include-undo] [--since REF | --pending --database URL --user USER"
            + " [--schema S]] [--base-dir DIR]";

    private LintCommandLine() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, System.getenv(), out, err);
    }

    /** The same with {@code environment} ({@code PGPASSWORD} for {@code --pending}). */
    public static int run(String[] args, Map<String, String> environment, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && rest.get(0).equals("lint")) {
            rest.remove(0);
        }
        String folder = null;
        Repository repository;
        String format = "text";
        Path output = null;
        boolean includeUndo = false;
        String since = null;
        boolean pending = false;
        String database = null;
        String user = null;
        String schema = "public";
        Path baseDir = null;
        LintPolicy policy = LintPolicy.defaults();
        try {
            for (int i = 0; i < rest.size(); i++) {
                String arg = rest.get(i);
                switch (arg) {
                    case "--format" -> format = OptionValues.value(rest, ++i, arg);
                    case "--output" -> output = Path.of(OptionValues.value(rest, ++i, arg));
                    case "--include-undo" -> includeUndo = true;
                    case "--since" -> since = OptionValues.value(rest, ++i, arg);
                    case "--pending" -> pending = true;
                    case "--database" -> database = OptionValues.value(rest, ++i, arg);
                    case "--user" -> user = OptionValues.value(rest, ++i, arg);
                    case "--schema" -> schema = OptionValues.value(rest, ++i, arg);
                    case "--base-dir" -> baseDir = Path.of(OptionValues.value(rest, ++i, arg));
                    case "--severity" -> {
                        String[] pair = OptionValues.value(rest, ++i, arg).split("=", 2);
                        if (pair.length != 2) {
                            throw new IllegalArgumentException("--severity takes RULE=LEVEL");
                        }
                        policy = policy.with(pair[0], LintSeverity.parse(pair[1]));
                    }
                    default -> {
                        if (arg.startsWith("--") || folder != null) {
                            throw new IllegalArgumentException("unexpected argument '" + arg + "'");
                        }
                        folder = arg;
                    }
                }
            }
            if (folder == null) {
                throw new IllegalArgumentException("name the folder of migration scripts to lint");
            }
            if (!List.of("text", "json", "sarif", "github").contains(format)) {
                throw new IllegalArgumentException("--format must be text, json, sarif or github");
            }
            if (since != null && pending) {
                throw new IllegalArgumentException("--since and --pending exclude each other");
            }
            if (pending && (database == null || user == null)) {
                throw new IllegalArgumentException("--pending needs --database URL and --user USER (the password from PGPASSWORD)");
            }
            if (!pending && (database != null || user != null)) {
                throw new IllegalArgumentException("--database and --user go with --pending");
            }
            repository = Repository.of(Path.of(folder), baseDir);
        } catch (IllegalArgumentException e) {
            err.println("lint: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        LintReport report;
        try {
            ScriptSet scripts = new ScriptLoader(FileRoots.of(List.of(folder)))
                    .load(MigrationSource.parse("filesystem:" + folder));
            boolean undo = includeUndo;
            List<Script> sql = scripts.all().stream().filter(script -> script.kind() != Script.Kind.CONFIG)
                    .filter(script -> undo || script.kind() != Script.Kind.UNDO).toList();
            Predicate<String> linted = script -> true;
            if (since != null) {
                Set<String> changed = repository.changedSince(since);
                linted = changed::contains;
            } else if (pending) {
                String password = environment.get("PGPASSWORD");
                if (password == null || password.isEmpty()) {
                    err.println("lint: set PGPASSWORD to the password of " + user);
                    return USAGE;
                }
                Set<String> applied = PendingScripts.applied(database, user, password, schema, folder);
                linted = script -> !applied.contains(script);
            }
            Predicate<String> selected = linted;
            List<Script> history = sql.stream().filter(script -> !selected.test(script.path())).toList();
            List<Script> changed = sql.stream().filter(script -> selected.test(script.path())).toList();
            report = new Linter(policy).lint(history, changed, scripts::isTransactional);
            if (since != null || pending) {
                // Beside a JSON or SARIF document on standard output, on standard error: the document stays one document.
                PrintStream note = output == null && List.of("json", "sarif").contains(format) ? err : out;
                note.printf("linted %d of %d script(s): %s; the other %d read as history, without findings%n", changed.size(), sql.size(),
                        since != null ? "added or changed since " + since : "not applied to " + Echo.value(database), history.size());
            }
        } catch (SluiceException e) {
            err.println("lint: " + e.getMessage());
            return USAGE;
        } catch (IllegalArgumentException e) {
            err.println("lint: " + e.getMessage());
            return USAGE;
        } catch (PendingScripts.Unreadable e) {
            err.println("lint: " + e.getMessage());
            return DATABASE;
        }
        try {
            String rendered = render(report, format, repository.folderPath());
            if (output != null) {
                Files.writeString(output, rendered, StandardCharsets.UTF_8);
                out.println(summary(report) + " Report: " + output);
            } else {
                out.print(rendered);
            }
        } catch (IOException e) {
            err.println("lint: cannot write " + output + ": " + e.getMessage());
            return USAGE;
        }
        return report.errors() > 0 ? FINDINGS : CLEAN;
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
