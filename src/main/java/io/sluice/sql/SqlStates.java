package io.sluice.sql;

import java.util.Map;

/**
 * The condition names of the SQLSTATEs caller SQL most often ends with, to say which without repeating the server's
 * text (a failed cast quotes the value it could not read; another session's statement can be made to appear in one).
 */
public final class SqlStates {

    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("42703", "undefined_column"),
            Map.entry("42P01", "undefined_table"),
            Map.entry("42883", "undefined_function"),
            Map.entry("42704", "undefined_object"),
            Map.entry("3F000", "invalid_schema_name"),
            Map.entry("42501", "insufficient_privilege"),
            Map.entry("42601", "syntax_error"),
            Map.entry("42804", "datatype_mismatch"),
            Map.entry("42702", "ambiguous_column"),
            Map.entry("42725", "ambiguous_function"),
            Map.entry("42P18", "indeterminate_datatype"),
            Map.entry("42846", "cannot_coerce"),
            Map.entry("42P07", "duplicate_table"),
            Map.entry("42710", "duplicate_object"),
            Map.entry("42701", "duplicate_column"),
            Map.entry("42P16", "invalid_table_definition"),
            Map.entry("42809", "wrong_object_type"),
            Map.entry("2BP01", "dependent_objects_still_exist"),
            Map.entry("0A000", "feature_not_supported"),
            Map.entry("22P02", "invalid_text_representation"),
            Map.entry("22012", "division_by_zero"),
            Map.entry("22001", "string_data_right_truncation"),
            Map.entry("22003", "numeric_value_out_of_range"),
            Map.entry("23502", "not_null_violation"),
            Map.entry("23503", "foreign_key_violation"),
            Map.entry("23505", "unique_violation"),
            Map.entry("23514", "check_violation"),
            Map.entry("25006", "read_only_sql_transaction"),
            Map.entry("57014", "query_canceled: the statement ran into its statement_timeout"),
            Map.entry("57P01", "admin_shutdown: the session was ended"),
            Map.entry("53100", "disk_full"),
            Map.entry("53200", "out_of_memory"),
            Map.entry("53400", "configuration_limit_exceeded: temp_file_limit"),
            Map.entry("54000", "program_limit_exceeded"),
            Map.entry("55P03", "lock_not_available"),
            Map.entry("40P01", "deadlock_detected"),
            Map.entry("53300", "too_many_connections"));

    private SqlStates() {
    }

    /** " (name)" for a known SQLSTATE, "" otherwise. */
    public static String name(String sqlState) {
        String name = sqlState == null ? null : NAMES.get(sqlState);
        return name == null ? "" : " (" + name + ")";
    }
}
