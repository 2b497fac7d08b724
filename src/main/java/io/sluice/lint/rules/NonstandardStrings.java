package io.sluice.lint.rules;

import java.util.List;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;
import io.sluice.sql.StringReading;

/**
 * {@code nonstandard-strings}: a statement turns off {@code standard_conforming_strings} (or could), after which the
 * server splits the script differently from everyone who read it ({@link StringReading}).
 */
public final class NonstandardStrings extends BaseRule {

    public NonstandardStrings() {
        super("nonstandard-strings", LintSeverity.ERROR,
                "A statement changes how the server reads strings (standard_conforming_strings).",
                "With standard_conforming_strings off, a backslash in '...' escapes the quote: SELECT 'x\\''; DROP TABLE"
                        + " orders; --' is three statements to the server and one string to lint, Flyway and a reviewer."
                        + " A script that does so is not the script that was reviewed, so it is never run in a scratch"
                        + " database either.",
                "Keep standard_conforming_strings on; write E'...' where a backslash escape is meant.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return StringReading.change(statement.text()).stream().toList();
    }
}
