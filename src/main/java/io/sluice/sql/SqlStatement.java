package io.sluice.sql;

import java.util.Locale;

/**
 * One statement of a script, as PostgreSQL would receive it.
 *
 * @param text the statement without the comments and blank lines before it, ending at its semicolon (excluded);
 *             for {@code COPY ... FROM STDIN} the data lines follow it
 * @param line the 1-based line of the script where the statement starts
 */
public record SqlStatement(String text, int line) {

    /** The statement's words, upper-cased, comments removed and whitespace collapsed: for keyword matching only. */
    public String normalized() {
        return SqlText.withoutComments(text).replaceAll("\\s+", " ").trim().toUpperCase(Locale.ROOT);
    }
}
