package io.sluice.sql;

import java.util.Locale;
import java.util.Optional;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.tree.ParseTree;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser;

import io.sluice.error.InvalidRequest;

/**
 * The one gate for every query text a caller gives that reaches a server: plan checks, the compatibility proof, the
 * canary's and the baseline's probes, an upgrade's green check; inline, from a folder or captured from
 * {@code pg_stat_statements}. PostgreSQL's grammar ({@link PostgresGrammar}) must read the text, Unicode escapes
 * decoded, as exactly one {@code SELECT}, {@code WITH ... SELECT}, {@code VALUES} or {@code TABLE}; where the text is
 * only prepared in a scratch database ({@link Use#PREPARED}), an {@code INSERT}, {@code UPDATE}, {@code DELETE} or
 * {@code MERGE} too. Anything else ({@code EXECUTE} of a prepared statement, {@code CALL}, {@code DO}, {@code COPY},
 * {@code SET}, {@code LOCK}, any utility statement, {@code SELECT ... INTO}) is refused, and so is a query that writes or
 * locks rows ({@code WITH d AS (DELETE ...) SELECT}, {@code FOR UPDATE}) where it would reach a live server.
 */
public final class QueryGate {

    /** Where a query goes. */
    public enum Use {
        /** Run or planned on a live server (probes, check-green): it may only read. */
        LIVE,
        /** Prepared or planned in a scratch database (the compatibility proof, the plan check): it may write. */
        PREPARED
    }

    /** What a query that passes does. */
    public enum Kind {
        READS, WRITES
    }

    private QueryGate() {
    }

    /**
     * What {@code text} does, when it passes.
     *
     * @param source where it came from, named in the error: {@code plans.queries[5]}, {@code queriesFrom:orders.sql}
     * @throws InvalidRequest naming {@code source} and what the text is, when it does not pass
     */
    public static Kind check(String text, String source, Use use) {
        Verdict verdict = verdict(text, use);
        if (verdict.refusal() != null) {
            throw new InvalidRequest("field '" + source + "': " + verdict.refusal());
        }
        return verdict.kind();
    }

    /** Why {@code text} does not pass for {@code use}; empty when it does. For a captured statement, skipped with a note. */
    public static Optional<String> refusal(String text, Use use) {
        return Optional.ofNullable(verdict(text, use).refusal());
    }

    private record Verdict(Kind kind, String refusal) {
    }

    private static Verdict verdict(String text, Use use) {
        String allowed = "a query is one SELECT, WITH ... SELECT, VALUES or TABLE statement"
                + (use == Use.PREPARED ? " (or one INSERT, UPDATE, DELETE or MERGE, which is only prepared)" : "");
        if (text == null || text.isBlank()) {
            return new Verdict(null, "is empty: " + allowed);
        }
        String decoded = SqlText.decoded(text);
        String word = firstWord(decoded);
        ParserRuleContext tree = PostgresGrammar.tree(decoded);
        if (tree == null) {
            // The grammar port has no MERGE; the server itself prepares one statement per Parse message, and a prepared
            // statement never runs.
            if (use == Use.PREPARED && word.equals("MERGE") && SqlText.separatorInside(decoded) < 0) {
                return new Verdict(Kind.WRITES, null);
            }
            return new Verdict(null, "PostgreSQL's grammar does not read it as one statement: " + allowed);
        }
        ParseTree statement = tree.getChildCount() > 0 ? tree.getChild(0) : null;
        if (statement instanceof PostgreSQLStatementParser.SelectContext) {
            if (contains(statement, PostgreSQLStatementParser.IntoClauseContext.class)) {
                return new Verdict(null, "SELECT ... INTO creates a table: " + allowed);
            }
            boolean writes = contains(statement, PostgreSQLStatementParser.InsertContext.class)
                    || contains(statement, PostgreSQLStatementParser.UpdateContext.class)
                    || contains(statement, PostgreSQLStatementParser.DeleteContext.class);
            if (writes && use == Use.LIVE) {
                return new Verdict(null, "its WITH writes (a data-modifying statement in it): only queries that read reach a live"
                        + " server");
            }
            if (contains(statement, PostgreSQLStatementParser.ForLockingClauseContext.class) && use == Use.LIVE) {
                return new Verdict(null, "FOR UPDATE or FOR SHARE locks the rows it reads: only queries that read reach a live server");
            }
            return new Verdict(writes ? Kind.WRITES : Kind.READS, null);
        }
        boolean write = statement instanceof PostgreSQLStatementParser.InsertContext
                || statement instanceof PostgreSQLStatementParser.UpdateContext
                || statement instanceof PostgreSQLStatementParser.DeleteContext;
        if (write && use == Use.PREPARED) {
            return new Verdict(Kind.WRITES, null);
        }
        if (write) {
            return new Verdict(null, word + " writes: only queries that read reach a live server");
        }
        return new Verdict(null, word + " is not a query: " + allowed);
    }

    private static boolean contains(ParseTree tree, Class<? extends ParserRuleContext> kind) {
        if (kind.isInstance(tree)) {
            return true;
        }
        for (int i = 0; i < tree.getChildCount(); i++) {
            if (contains(tree.getChild(i), kind)) {
                return true;
            }
        }
        return false;
    }

    private static String firstWord(String sql) {
        String shape = SqlText.shape(sql).replaceFirst("^[(\\s]+", "");
        int end = 0;
        while (end < shape.length() && SqlText.isIdentifierPart(shape.charAt(end))) {
            end++;
        }
        return end == 0 ? "it" : shape.substring(0, end).toUpperCase(Locale.ROOT);
    }
}
