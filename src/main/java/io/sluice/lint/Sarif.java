package io.sluice.lint;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sluice.event.LintFinding;
import io.sluice.event.LintReport;

/**
 * A lint report as SARIF 2.1.0, the format GitHub code scanning (and most CI dashboards) read: one run, the rules
 * in {@code tool.driver.rules}, one result per finding with its file and line.
 */
public final class Sarif {

    private static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    private Sarif() {
    }

    /** The SARIF document as a map ready for JSON; {@code baseDirectory} prefixes each script's path. */
    public static Map<String, Object> of(LintReport report, String baseDirectory) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Rule rule : Rules.all()) {
            rules.add(rule(rule.id(), rule.summary(), rule.why(), rule.fix(), rule.defaultSeverity()));
        }
        rules.add(rule(Rules.UNUSED_SUPPRESSION, "A -- sluice:ignore comment suppresses nothing.",
                "A stale suppression hides the next real problem of that kind.", "Remove it.", LintSeverity.WARNING));
        rules.add(rule(Rules.UNPARSED_STATEMENT, "PostgreSQL's grammar does not accept this statement; rules checked its keywords.",
                "A statement the grammar does not accept is not PostgreSQL, or a form the grammar port lacks that could hide a construct a"
                        + " rule looks for.", "Fix the statement when PostgreSQL rejects it too; otherwise report the form.",
                LintSeverity.INFO));
        List<Map<String, Object>> results = new ArrayList<>();
        for (LintFinding finding : report.findings()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", finding.rule());
            result.put("level", LintSeverity.valueOf(finding.severity()).sarifLevel());
            result.put("message", Map.of("text", finding.message() + ". " + finding.fix()));
            result.put("locations", List.of(Map.of("physicalLocation", Map.of(
                    "artifactLocation", Map.of("uri", path(baseDirectory, finding.script())),
                    "region", Map.of("startLine", finding.line())))));
            results.add(result);
        }
        Map<String, Object> driver = new LinkedHashMap<>();
        driver.put("name", "sluice-lint");
        driver.put("rules", rules);
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("tool", Map.of("driver", driver));
        run.put("results", results);
        Map<String, Object> sarif = new LinkedHashMap<>();
        sarif.put("$schema", SCHEMA);
        sarif.put("version", "2.1.0");
        sarif.put("runs", List.of(run));
        return sarif;
    }

    /** GitHub Actions workflow commands: one {@code ::error file=...,line=...::message} line per finding. */
    public static List<String> githubAnnotations(LintReport report, String baseDirectory) {
        List<String> lines = new ArrayList<>();
        for (LintFinding finding : report.findings()) {
            String command = switch (LintSeverity.valueOf(finding.severity())) {
                case ERROR -> "error";
                case WARNING -> "warning";
                default -> "notice";
            };
            lines.add("::" + command + " file=" + escapeProperty(path(baseDirectory, finding.script())) + ",line=" + finding.line()
                    + ",title=" + escapeProperty(finding.rule()) + "::" + escapeData(finding.message() + ". " + finding.fix()));
        }
        return lines;
    }

    private static Map<String, Object> rule(String id, String summary, String why, String fix, LintSeverity severity) {
        Map<String, Object> rule = new LinkedHashMap<>();
        rule.put("id", id);
        rule.put("shortDescription", Map.of("text", summary));
        rule.put("fullDescription", Map.of("text", why));
        rule.put("help", Map.of("text", fix));
        rule.put("defaultConfiguration", Map.of("level", severity.sarifLevel()));
        return rule;
    }

    private static String path(String base, String script) {
        return base == null || base.isEmpty() ? script : base.replaceAll("/+$", "") + "/" + script;
    }

    private static String escapeData(String text) {
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String escapeProperty(String text) {
        return escapeData(text).replace(":", "%3A").replace(",", "%2C");
    }
}
