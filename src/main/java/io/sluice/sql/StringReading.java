package io.sluice.sql;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Statements that change how the server reads the text after them. With {@code standard_conforming_strings} off, the
 * server reads a backslash in {@code '...'} as an escape: {@code SELECT 'x\''; DROP TABLE orders; --'} is then three
 * statements, where lint, Flyway's parser and a reviewer read one string. Such a script is not the text anyone
 * reviewed, so lint reports it ({@code nonstandard-strings}) and no scratch database runs it. Found wherever it is
 * written: a {@code SET}, a {@code set_config} (or one whose setting is named at run time), an {@code UPDATE} of
 * {@code pg_settings}, a role's, database's or function's {@code SET}, in statements and in the bodies they hold.
 */
public final class StringReading {

    private static final String SETTING = "standard_conforming_strings";
    /** The one harmless way to name it: setting it back on, or to what the server's configuration says. */
    private static final Pattern KEPT_ON = Pattern.compile("^\\s*(?:SET\\s+(?:SESSION\\s+|LOCAL\\s+)?" + SETTING
            + "\\s*(?:=|\\bTO\\b)\\s*(?:'?(?:on|true|yes|1)'?|DEFAULT)|RESET\\s+" + SETTING + ")\\s*;?\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SET_CONFIG = Pattern.compile("(?<![\\w$])set_config\\s*\\(", Pattern.CASE_INSENSITIVE);
    private static final Pattern SETTINGS_WRITE = Pattern.compile(
            "\\bUPDATE\\s+(?:ONLY\\s+)?(?:pg_catalog\\s*\\.\\s*)?pg_settings(?![\\w$])", Pattern.CASE_INSENSITIVE);
    private static final int MAX_DEPTH = 4;

    private StringReading() {
    }

    /**
     * How statement {@code sql} (as written; Unicode escapes are decoded here) changes how the server reads strings, or
     * empty when it does not: "it turns off standard_conforming_strings ...".
     */
    public static Optional<String> change(String sql) {
        String decoded = SqlText.decoded(sql);
        if (KEPT_ON.matcher(SqlText.withoutComments(decoded)).matches()) {
            return Optional.empty();
        }
        return change(decoded, 0);
    }

    private static Optional<String> change(String sql, int depth) {
        String code = SqlText.withoutComments(sql);
        if (code.toLowerCase(Locale.ROOT).contains(SETTING)) {
            return Optional.of("it sets standard_conforming_strings: with it off the server reads a backslash in '...' as an"
                    + " escape, and the statements after it are not the text lint and the approvers read");
        }
        String blanked = SqlText.blanked(sql).replace('"', ' ');
        Matcher call = SET_CONFIG.matcher(blanked);
        while (call.find()) {
            if (!literalAt(sql, call.end())) {
                return Optional.of("it calls set_config() with a setting named at run time, which could be"
                        + " standard_conforming_strings: then the statements after it are not the text lint read");
            }
        }
        if (SETTINGS_WRITE.matcher(blanked).find()) {
            return Optional.of("it updates pg_settings, which sets settings by names it reads at run time (one could be"
                    + " standard_conforming_strings): then the statements after it are not the text lint read");
        }
        if (depth < MAX_DEPTH) {
            for (SqlText.Literal literal : SqlText.literals(sql)) {
                Optional<String> inner = change(literal.content(), depth + 1);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    /** Whether a string literal (not an escape string) is the first thing at or after {@code from}. */
    private static boolean literalAt(String sql, int from) {
        int at = from;
        while (at < sql.length() && Character.isWhitespace(sql.charAt(at))) {
            at++;
        }
        for (SqlText.Literal literal : SqlText.literals(sql)) {
            if (literal.start() == at) {
                String rest = SqlText.blanked(sql.substring(literal.end())).stripLeading();
                return !literal.escaped() && rest.startsWith(",");
            }
        }
        return false;
    }
}
