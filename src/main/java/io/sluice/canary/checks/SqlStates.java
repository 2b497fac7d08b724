package io.sluice.canary.checks;

import java.util.Map;

/** The names of the SQLSTATEs a failing probe most often ends with, to say which without repeating the server's text. */
final class SqlStates {

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("42703", "undefined_column"),
            Map.entry("42P01", "undefined_table"),
            Map.entry("42883", "undefined_function"),
            Map.entry("42501", "insufficient_privilege"),
            Map.entry("42601", "syntax_error"),
            Map.entry("42804", "datatype_mismatch"),
            Map.entry("22P02", "invalid_text_representation"),
            Map.entry("22012", "division_by_zero"),
            Map.entry("25006", "read_only_sql_transaction"),
            Map.entry("57014", "query_canceled: the probe ran into its statement_timeout"),
            Map.entry("55P03", "lock_not_available"),
            Map.entry("40P01", "deadlock_detected"),
            Map.entry("53300", "too_many_connections"));

    private SqlStates() {
    }

    /** " (name)" for a known SQLSTATE, "" otherwise. */
    static String name(String sqlState) {
        String name = sqlState == null ? null : NAMES.get(sqlState);
        return name == null ? "" : " (" + name + ")";
    }
}
