package io.sluice.migration;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An index PostgreSQL marks INVALID: a {@code CREATE INDEX CONCURRENTLY} (or {@code REINDEX CONCURRENTLY}) that
 * failed or whose session died. It is maintained on every write and used by no query, and a later
 * {@code CREATE INDEX ... IF NOT EXISTS} of the same name succeeds on it without building anything: it must be
 * dropped, never accepted.
 *
 * @param name  the index, as a quoted qualified name
 * @param table its table, as a quoted qualified name
 */
public record InvalidIndex(String name, String table) {

    private static final String QUERY = """
            SELECT format('%I.%I', n.nspname, c.relname), format('%I.%I', tn.nspname, t.relname)
              FROM pg_index i
              JOIN pg_class c ON c.oid = i.indexrelid
              JOIN pg_namespace n ON n.oid = c.relnamespace
              JOIN pg_class t ON t.oid = i.indrelid
              JOIN pg_namespace tn ON tn.oid = t.relnamespace
             WHERE NOT i.indisvalid AND (? IS NULL OR n.nspname = ?)
             ORDER BY 1
            """;

    /** The statement that removes it without blocking the table. */
    public String dropStatement() {
        return "DROP INDEX CONCURRENTLY IF EXISTS " + name + ";";
    }

    /** The INVALID indexes of {@code schema}, or of every schema when it is null. */
    public static List<InvalidIndex> in(Connection connection, String schema) throws SQLException {
        List<InvalidIndex> found = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(QUERY)) {
            statement.setString(1, schema);
            statement.setString(2, schema);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    found.add(new InvalidIndex(rs.getString(1), rs.getString(2)));
                }
            }
        }
        return found;
    }

    /** One sentence for a person: which indexes, and the statements that remove them. */
    public static String describe(List<InvalidIndex> indexes) {
        return indexes.stream().map(index -> index.name() + " on " + index.table()).collect(Collectors.joining(", "))
                + " " + (indexes.size() == 1 ? "is" : "are") + " INVALID (left by a CREATE INDEX CONCURRENTLY that failed or"
                + " was interrupted: maintained on every write, used by no query). Remove with: "
                + indexes.stream().map(InvalidIndex::dropStatement).collect(Collectors.joining(" "));
    }
}
