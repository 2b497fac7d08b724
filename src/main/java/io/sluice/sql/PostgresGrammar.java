package io.sluice.sql;

import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.ParseCancellationException;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementLexer;
import org.apache.shardingsphere.sql.parser.autogen.PostgreSQLStatementParser;

/**
 * Whether a statement is PostgreSQL SQL, by PostgreSQL's own grammar as Apache ShardingSphere ports it to ANTLR (its
 * generated lexer and parser only). {@code DO} blocks, which the port's statement rule leaves out, by their own rule.
 * Dollar-quoted bodies are handed over as plain string literals, which that lexer
 * reads and PostgreSQL treats alike. Two-stage parsing: the fast SLL prediction first, full LL only when SLL fails.
 * The parsers share their DFA cache, so a warm check costs microseconds; thread-safe.
 */
public final class PostgresGrammar {

    private PostgresGrammar() {
    }

    /** Whether the grammar accepts {@code statement} (one statement, without its semicolon or with it). */
    public static boolean accepts(String statement) {
        return tree(statement) != null;
    }

    /**
     * The parse tree of {@code statement} as one statement of the grammar (its {@code execute} rule, or its DO rule), or
     * null when the grammar does not read it as exactly one statement.
     */
    public static ParserRuleContext tree(String statement) {
        CommonTokenStream tokens = new CommonTokenStream(lexer(SqlText.withPlainBodies(statement)));
        try {
            tokens.fill();
        } catch (ParseCancellationException unreadable) {
            return null;
        }
        PostgreSQLStatementParser parser = new PostgreSQLStatementParser(tokens);
        parser.removeErrorListeners();
        parser.setErrorHandler(new BailErrorStrategy());
        parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
        try {
            return parse(parser, tokens);
        } catch (ParseCancellationException | StackOverflowError sll) {
            tokens.seek(0);
            parser.reset();
            parser.getInterpreter().setPredictionMode(PredictionMode.LL);
            try {
                return parse(parser, tokens);
            } catch (ParseCancellationException | StackOverflowError e) {
                return null;
            }
        }
    }

    /**
     * The grammar's statement rule (which ends at the end of the text, after an optional semicolon); DO, which the port
     * defines but leaves out of that rule, by its own rule followed by an optional semicolon and the end.
     */
    private static ParserRuleContext parse(PostgreSQLStatementParser parser, CommonTokenStream tokens) {
        if (tokens.LA(1) == PostgreSQLStatementParser.DO) {
            ParserRuleContext statement = parser.doStatement();
            if (tokens.LA(1) == PostgreSQLStatementParser.SEMI_) {
                tokens.consume();
            }
            return tokens.LA(1) == Token.EOF ? statement : null;
        }
        return parser.execute();
    }

    /** A character the lexer cannot place makes the statement unreadable, as it does for PostgreSQL. */
    private static final BaseErrorListener UNREADABLE = new BaseErrorListener() {
        @Override
        public void syntaxError(Recognizer<?, ?> recognizer, Object symbol, int line, int position, String message,
                RecognitionException e) {
            throw new ParseCancellationException(message);
        }
    };

    private static PostgreSQLStatementLexer lexer(String sql) {
        PostgreSQLStatementLexer lexer = new PostgreSQLStatementLexer(CharStreams.fromString(sql));
        lexer.removeErrorListeners();
        lexer.addErrorListener(UNREADABLE);
        return lexer;
    }
}
