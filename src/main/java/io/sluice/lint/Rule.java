package io.sluice.lint;

import java.util.List;

/**
 * One lint rule: an id ({@code ban-drop-column}), a one-line summary, why it matters and how to fix it, and the
 * check. Severity is not the rule's to decide: it comes from configuration ({@code sluice.lint.severity."id"}),
 * with {@link #defaultSeverity()} when nothing is configured.
 */
public interface Rule {

    String id();

    /** One line: what the rule reports. */
    String summary();

    /** Why it matters in production. */
    String why();

    /** What to write instead. */
    String fix();

    LintSeverity defaultSeverity();

    /**
     * The problems of {@code statement}, one message each (usually zero or one). {@code context} knows the rest
     * of the script: whether it runs in a transaction, which tables it created before this statement.
     */
    List<String> check(LintStatement statement, LintContext context);
}
