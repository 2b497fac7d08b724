package io.sluice.lint;

import java.util.regex.Pattern;

import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;

import io.sluice.sql.PostgresGrammar;
import io.sluice.sql.SqlStatement;
import io.sluice.sql.SqlText;

/**
 * A statement as the lint rules see it. {@link #shape()} is the statement's keyword skeleton, read token by token
 * ({@link SqlText#tokenShape}, so one {@code \S+} is one name however it is spelled): comments removed, string
 * literals and dollar-quoted bodies replaced by {@code ?}, whitespace collapsed, upper-cased — so a rule
 * matching {@code DROP TABLE} never fires on {@code INSERT ... VALUES ('drop table')}. {@link #ast()} is
 * JSqlParser's model when it can read the statement (it cannot read many PostgreSQL DDL forms:
 * {@code CONCURRENTLY}, {@code NOT VALID}, {@code VACUUM}, partial indexes), else null. Every view is of the statement
 * with its Unicode escapes decoded, as PostgreSQL reads it.
 */
public final class LintStatement {

    private final SqlStatement statement;
    private final String shape;
    private Statement ast;
    private boolean parsed;
    private boolean parseAttempted;
    private Boolean accepted;
    private String blanked;

    /**
     * The statement as the rules read it: with its Unicode escapes decoded ({@link SqlText#decoded}), so that a name
     * spelled {@code U&"..."} or a body written {@code U&'...'} is read, found and classed as its plain spelling is.
     */
    public LintStatement(SqlStatement statement) {
        this.statement = new SqlStatement(SqlText.decoded(statement.text()), statement.line());
        this.shape = SqlText.tokenShape(statement.text());
    }

    public String text() {
        return statement.text();
    }

    public int line() {
        return statement.line();
    }

    public String shape() {
        return shape;
    }

    /**
     * The script line of the {@code occurrence}-th (0-based) match of {@code regex} in the statement's text (comments
     * and literals blanked, case-insensitive), or the statement's first line when there is none.
     */
    public int lineOf(Pattern regex, int occurrence) {
        if (blanked == null) {
            blanked = SqlText.blanked(statement.text());
        }
        java.util.regex.Matcher matcher = regex.matcher(blanked);
        for (int found = 0; matcher.find(); found++) {
            if (found == occurrence) {
                int line = statement.line();
                for (int i = 0; i < matcher.start(); i++) {
                    if (blanked.charAt(i) == '\n') {
                        line++;
                    }
                }
                return line;
            }
        }
        return statement.line();
    }

    /** Whether the shape matches {@code regex} anywhere (regex on the upper-cased skeleton). */
    public boolean has(Pattern regex) {
        return regex.matcher(shape).find();
    }

    /** JSqlParser's model, or null when it cannot read the statement. Parsed on first use. */
    public Statement ast() {
        if (!parseAttempted) {
            parseAttempted = true;
            try {
                // The parser is driven directly: CCJSqlParserUtil.parse(String) runs each parse on a new executor
                // thread for its timeout, which costs more than the parse. Complex parsing stays off: when the
                // simple grammar fails, the complex one fails on PostgreSQL DDL too, at twice the cost.
                Statement candidate = CCJSqlParserUtil.newParser(statement.text()).withAllowComplexParsing(false).Statement();
                parsed = !(candidate instanceof UnsupportedStatement);
                ast = parsed ? candidate : null;
            } catch (Exception | StackOverflowError e) {
                parsed = false;
            }
        }
        return ast;
    }

    /** Whether PostgreSQL's grammar accepts the statement ({@link PostgresGrammar}); checked on first use. */
    public boolean isParsed() {
        if (accepted == null) {
            accepted = PostgresGrammar.accepts(statement.text());
        }
        return accepted;
    }
}
