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

    /** What each result's URI is relative to: the repository's root, as GitHub code scanning resolves it. */
    public static final String SOURCE_ROOT = "%SRCROOT%";

    /**
     * The SARIF document as a map ready for JSON. {@code folderPath} is the scripts' folder as a path from the
     * repository's root ({@code db/migration}; empty when the scripts are at the root): each result's URI is the
     * script's path from the root, relative to {@value #SOURCE_ROOT}, which is what code scanning places on a diff.
     */
    public static Map<String, Object> of(LintReport report, String folderPath) {
        List<Map<String, Object>> rules = new ArrayList<>();
        for (Rules.Description rule : Rules.described()) {
            rules.add(rule(rule.id(), rule.summary(), rule.why(), rule.fix(), rule.defaultSeverity()));
        }
        List<Map<String, Object>> results = new ArrayList<>();
        for (LintFinding finding : report.findings()) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("ruleId", finding.rule());
            result.put("level", LintSeverity.valueOf(finding.severity()).sarifLevel());
            result.put("message", Map.of("text", finding.message() + ". " + finding.fix()));
            Map<String, Object> region = new LinkedHashMap<>();
            region.put("startLine", finding.line());
            region.put("startColumn", 1);
            region.put("endLine", finding.line());
            result.put("locations", List.of(Map.of("physicalLocation", Map.of(
                    "artifactLocation", Map.of("uri", uri(path(folderPath, finding.script())), "uriBaseId", SOURCE_ROOT),
                    "region", region))));
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

    /**
     * GitHub Actions workflow commands: one {@code ::error file=...,line=...,endLine=...,col=1::message} line per finding,
     * {@code file} the script's path from the repository's root ({@code folderPath} as in {@link #of}).
     */
    public static List<String> githubAnnotations(LintReport report, String folderPath) {
        List<String> lines = new ArrayList<>();
        for (LintFinding finding : report.findings()) {
            String command = switch (LintSeverity.valueOf(finding.severity())) {
                case ERROR -> "error";
                case WARNING -> "warning";
                default -> "notice";
            };
            lines.add("::" + command + " file=" + escapeProperty(path(folderPath, finding.script())) + ",line=" + finding.line()
                    + ",endLine=" + finding.line() + ",col=1,title=" + escapeProperty(finding.rule()) + "::"
                    + escapeData(finding.message() + ". " + finding.fix()));
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

    private static String path(String folder, String script) {
        return folder == null || folder.isEmpty() ? script : folder.replaceAll("/+$", "") + "/" + script;
    }

    /** A relative path as a URI reference: each segment percent-encoded where a URI may not hold the character. */
    private static String uri(String path) {
        StringBuilder out = new StringBuilder();
        for (byte b : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~/!$&'()*+,;=:@".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format("%02X", c));
            }
        }
        return out.toString();
    }

    private static String escapeData(String text) {
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static String escapeProperty(String text) {
        return escapeData(text).replace(":", "%3A").replace(",", "%2C");
    }
}
