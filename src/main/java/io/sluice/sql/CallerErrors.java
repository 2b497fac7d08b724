package io.sluice.sql;

import java.sql.SQLException;
import java.util.Set;

import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

/**
 * What a caller is told when a server refused their file, script or query: the SQLSTATE with its condition name and
 * where in their own text the server stopped (line, column and the word there), never the server's message. A server's
 * message can carry what the caller must not see: the value a failed cast could not read, another session's query and
 * the secret literal in it ({@code CAST((SELECT string_agg(query, ' | ') FROM pg_stat_activity) AS int)}).
 */
public final class CallerErrors {

    /** The states of a session that is gone: not the caller's text's doing, thrown on as they are. */
    private static final Set<String> CONNECTION_LOST = Set.of("57P01", "57P02", "57P03", "08006", "08003", "08001", "08000");
    private static final int WORD = 40;

    private CallerErrors() {
    }

    /** {@code SQLSTATE 42703 (undefined_column)}. */
    public static String state(SQLException e) {
        return "SQLSTATE " + e.getSQLState() + SqlStates.name(e.getSQLState());
    }

    /**
     * {@code SQLSTATE 42703 (undefined_column) at line 2, column 8 ("emial")}: the state, and where the server says the
     * error is, read in the caller's {@code text}; {@code prefix} is how many characters Sluice put before it in what it
     * sent ({@code PREPARE x AS }).
     */
    public static String describe(SQLException e, String text, int prefix) {
        return describe(e, text, prefix, 1);
    }

    /**
     * {@link #describe(SQLException, String, int)} for a statement that starts on line {@code firstLine} of its file: the
     * line said is the file's.
     */
    public static String describe(SQLException e, String text, int prefix, int firstLine) {
        String state = state(e);
        ServerErrorMessage server = e instanceof PSQLException psql ? psql.getServerErrorMessage() : null;
        int position = server == null ? 0 : server.getPosition() - 1 - prefix;
        if (text == null || position < 0 || position >= text.length()) {
            return state;
        }
        int line = firstLine;
        int lineStart = 0;
        for (int i = 0; i < position; i++) {
            if (text.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
        return state + " at line " + line + ", column " + (position - lineStart + 1) + word(text, position);
    }

    /** The word of {@code text} at {@code position}, quoted, or nothing when none starts there. */
    private static String word(String text, int position) {
        int end = position;
        while (end < text.length() && end - position < WORD && (SqlText.isIdentifierPart(text.charAt(end)) || text.charAt(end) == '"'
                || text.charAt(end) == '.')) {
            end++;
        }
        return end == position ? "" : " (\"" + text.substring(position, end).replace("\"", "") + "\")";
    }

    /** Whether the session is gone: the server ended it, or the connection broke. */
    public static boolean isConnectionLost(SQLException e) {
        return e.getSQLState() != null && CONNECTION_LOST.contains(e.getSQLState());
    }
}
