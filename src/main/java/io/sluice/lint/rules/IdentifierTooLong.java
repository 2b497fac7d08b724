package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code identifier-too-long}: Identifiers longer than 63 bytes are silently truncated. */
public final class IdentifierTooLong extends BaseRule {

    private static final Pattern IDENTIFIER = regex("\"(?:[^\"]|\"\")+\"|[A-Z_\\p{L}][A-Z0-9_$\\p{L}]*");

    public IdentifierTooLong() {
        super("identifier-too-long", LintSeverity.ERROR,
                "Identifiers longer than 63 bytes are silently truncated.",
                "PostgreSQL cuts names at 63 bytes without an error: two long names can collide, and the name in the database is not the one in the code.",
                "Shorten the name to at most 63 bytes.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        if (statement.shape().startsWith("DROP ")) {
            // A DROP names an existing object: PostgreSQL truncates the name the same way it did when creating it.
            return List.of();
        }
        List<String> problems = new java.util.ArrayList<>();
        var matcher = IDENTIFIER.matcher(statement.shape());
        while (matcher.find()) {
            String name = matcher.group().startsWith("\"") ? matcher.group().substring(1, matcher.group().length() - 1) : matcher.group();
            int bytes = name.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            if (bytes > 63) {
                problems.add("identifier " + name.toLowerCase() + " is " + bytes + " bytes; PostgreSQL keeps 63");
            }
        }
        return problems;
    }
}
