package io.sluice.lint;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.sluice.config.SluiceConfig;

/**
 * Configuration of lint: each rule's severity (its default unless configured) and the approvals each class of
 * change needs.
 */
public final class LintPolicy {

    private final Map<String, LintSeverity> severities;
    private final Map<ChangeClass, Integer> approvals;

    public LintPolicy(Map<String, LintSeverity> severities, Map<ChangeClass, Integer> approvals) {
        Set<String> known = new TreeSet<>(Rules.all().stream().map(Rule::id).toList());
        known.add(Rules.UNUSED_SUPPRESSION);
        known.add(Rules.UNPARSED_STATEMENT);
        for (String id : severities.keySet()) {
            if (!known.contains(id)) {
                throw new IllegalArgumentException("sluice.lint.severity names unknown rule '" + id + "'; rules: " + known);
            }
        }
        this.severities = Map.copyOf(severities);
        this.approvals = Map.copyOf(approvals);
    }

    public static LintPolicy defaults() {
        return new LintPolicy(Map.of(), Map.of(ChangeClass.MINOR, 1, ChangeClass.MAJOR, 2, ChangeClass.DATA, 3,
                ChangeClass.DESTRUCTIVE, 3));
    }

    public static LintPolicy from(SluiceConfig.Lint config) {
        Map<String, LintSeverity> severities = new HashMap<>();
        config.severity().forEach((id, level) -> severities.put(id, LintSeverity.parse(level)));
        return new LintPolicy(severities, Map.of(ChangeClass.MINOR, config.approvalsMinor(), ChangeClass.MAJOR,
                config.approvalsMajor(), ChangeClass.DATA, config.approvalsData(), ChangeClass.DESTRUCTIVE,
                config.approvalsDestructive()));
    }

    /** The same policy with {@code id} at {@code severity}. */
    public LintPolicy with(String id, LintSeverity severity) {
        Map<String, LintSeverity> changed = new HashMap<>(severities);
        changed.put(id, severity);
        return new LintPolicy(changed, approvals);
    }

    public LintSeverity severity(String id, LintSeverity fallback) {
        return severities.getOrDefault(id, fallback);
    }

    public int approvals(ChangeClass change) {
        return approvals.get(change);
    }
}
