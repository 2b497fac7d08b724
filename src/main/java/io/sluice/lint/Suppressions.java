package io.sluice.lint;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code -- sluice:ignore rule-a, rule-b} comments in a script. A comment applies to the statement that starts on
 * its line, or else to the next statement below it. Each use is recorded, so unused ones can be reported.
 */
final class Suppressions {

    private static final Pattern IGNORE = Pattern.compile("--\\s*sluice:ignore\\s+([a-z0-9-]+(?:[\\s,]+[a-z0-9-]+)*)");

    /** One comment: where it is, which rules it names, which of them were used. */
    record Suppression(int line, Set<String> rules, Set<String> used) {
    }

    private final List<Suppression> suppressions = new ArrayList<>();

    Suppressions(String script) {
        String[] lines = script.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher matcher = IGNORE.matcher(lines[i]);
            if (matcher.find()) {
                Set<String> rules = new LinkedHashSet<>(List.of(matcher.group(1).trim().split("[\\s,]+")));
                suppressions.add(new Suppression(i + 1, rules, new LinkedHashSet<>()));
            }
        }
    }

    /**
     * Whether {@code rule} is suppressed for the statement starting at {@code line}; {@code previousLine} is where
     * the statement before it starts (0 for the first), so a comment between the two belongs to this one.
     */
    boolean suppresses(String rule, int line, int previousLine) {
        for (Suppression suppression : suppressions) {
            boolean applies = suppression.line() == line || (suppression.line() > previousLine && suppression.line() < line);
            if (applies && suppression.rules().contains(rule)) {
                suppression.used().add(rule);
                return true;
            }
        }
        return false;
    }

    List<Suppression> all() {
        return suppressions;
    }
}
