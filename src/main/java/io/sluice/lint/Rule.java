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

    /** What a rule's finding claims PostgreSQL does, which the lock probe can measure. */
    enum Premise {
        /** Nothing the probe measures. */
        NONE,
        /** The statement rewrites the table. */
        REWRITE,
        /** The statement locks a table that existed before the script. */
        LOCK
    }

    /** What this rule's findings claim; the lock probe confirms or contradicts it statement by statement. */
    default Premise premise() {
        return Premise.NONE;
    }

    /** One problem and the line it is on (an action of a multi-action ALTER TABLE has its own). */
    record Problem(int line, String message) {
    }

    /**
     * The problems of {@code statement} with their lines; by default {@link #check}'s messages on the statement's
     * first line. Rules that report each action of a statement separately say where each one is.
     */
    default List<Problem> problems(LintStatement statement, LintContext context) {
        return check(statement, context).stream().map(message -> new Problem(statement.line(), message)).toList();
    }
}
