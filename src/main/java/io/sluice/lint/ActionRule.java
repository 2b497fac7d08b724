package io.sluice.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rule that reports each action of an {@code ALTER TABLE} on its own line: the findings are its {@link #problems},
 * their messages what {@link #check} returns.
 */
public abstract class ActionRule extends BaseRule {

    protected ActionRule(String id, LintSeverity severity, String summary, String why, String fix) {
        super(id, severity, summary, why, fix);
    }

    @Override
    public final List<String> check(LintStatement statement, LintContext context) {
        return messages(statement, context);
    }

    @Override
    public abstract List<Problem> problems(LintStatement statement, LintContext context);

    /**
     * One problem per action of an ALTER TABLE on an existing table that {@code action} finds (its group 1 names the
     * object), on the line where {@code words} precede that name.
     */
    protected static List<Problem> eachAction(LintStatement statement, LintContext context, Pattern action, String words,
            Function<Matcher, String> message) {
        if (!altersExistingTable(statement, context)) {
            return List.of();
        }
        List<Problem> problems = new ArrayList<>();
        for (String clause : ColumnDefinitions.clauses(statement)) {
            Matcher matcher = action.matcher(clause);
            if (matcher.find()) {
                problems.add(new Problem(lineOf(statement, words, matcher.group(1)), message.apply(matcher)));
            }
        }
        return problems;
    }
}
