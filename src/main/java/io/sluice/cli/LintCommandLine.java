package io.sluice.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
 * </pre>
 */
public final class LintCommandLine {

    public static final int CLEAN = 0;
    public static final int FINDINGS = 1;
    public static final int USAGE = 2;

    private static final String USAGE_TEXT = "usage: lint <folder> [--format text|json|sarif|github] [--output FILE]"
            + " [--severity RULE=error|warning|info|off]... [--include-undo]";

    private LintCommandLine() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(List.of(args));
        if (!rest.isEmpty() && rest.get(0).equals("lint")) {
            rest.remove(0);
        }
        String folder = null;
        String format = "text";
        Path output = null;
        boolean includeUndo = false;
        LintPolicy policy = LintPolicy.defaults();
        try {
            for (int i = 0; i < rest.size(); i++) {
                String arg = rest.get(i);
                switch (arg) {
                    case "--format" -> format = OptionValues.value(rest, ++i, arg);
                    case "--output" -> output = Path.of(OptionValues.value(rest, ++i, arg));
                    case "--include-undo" -> includeUndo = true;
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
            report = new Linter(policy).lint(sql, scripts::isTransactional);
        } catch (SluiceException e) {
            err.println("lint: " + e.getMessage());
            return USAGE;
        }
        try {
            String rendered = render(report, format, folder);
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
