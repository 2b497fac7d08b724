package io.sluice.plan;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.sluice.error.Echo;
import io.sluice.event.SchemaName;
import io.sluice.migration.FlywaySetup;
import io.sluice.scratch.ApplicationQueries;

/**
 * The live database's planner statistics for the managed schema, and the way to give them to a scratch database built
 * from the scripts, so that it plans as the live one does.
 * <p>
 * PostgreSQL 18's {@code pg_restore_relation_stats} and {@code pg_restore_attribute_stats} take what {@code pg_class}
 * and {@code pg_stats} hold. That alone is not enough: the planner scales a table's {@code reltuples} by the pages the
 * table really has on disk ({@code table_block_relation_estimate_size}), and an empty scratch table has none, so it
 * would plan every table as empty. Each scratch table is therefore given physical pages first, by rows inserted in a
 * transaction that is rolled back (the relation keeps its size; the rows are dead), with autovacuum off for it so that
 * nothing truncates those pages or analyzes the table afresh; then {@code relpages} is set to the pages it has and
 * {@code reltuples} to the rows the live planner estimates, so that the scratch planner estimates the same rows.
 * Indexes keep their scratch size (a few pages): index scans look cheaper than on the live server, before the release
 * and after it alike.
 */
public final class PlannerStatistics {

    private static final Logger LOG = Logger.getLogger(PlannerStatistics.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** PostgreSQL 18 is the first with {@code pg_restore_relation_stats} and {@code pg_restore_attribute_stats}. */
    static final int FIRST_VERSION_NUM = 180_000;
    /** A scratch table gets at most this many pages (128 MiB); a larger live table is said to be capped. */
    static final long MAX_PAGES_PER_TABLE = 16_384;
    /** All scratch tables together get at most this many pages (512 MiB); beyond it each is scaled down alike. */
    static final long MAX_PAGES = 65_536;
    /** One padding row fills a page on its own: above half a page, below the largest tuple a page holds. */
    private static final int PAD_BYTES = 7_000;
    /** The column the padding rows fill; added and removed in the transaction that is rolled back. */
    private static final String PAD_COLUMN = "sluice_planner_pad";
    /** The planner settings copied from the live session: what the planner's choices depend on beyond statistics. */
    private static final String PLANNER_SETTINGS = "SELECT name, current_setting(name) AS value FROM pg_settings WHERE context = 'user'"
            + " AND (category LIKE 'Query Tuning%' OR name IN ('work_mem', 'hash_mem_multiplier', 'max_parallel_workers_per_gather',"
            + " 'effective_io_concurrency'))";

    /**
     * One relation of the live schema.
     *
     * @param name      its name
     * @param kind      {@code pg_class.relkind}
     * @param table     for an index, its table; else the relation itself
     * @param partition whether it is a partition (not given pages: a row with empty columns would break its bounds)
     * @param pages     the pages it has on disk
     * @param tuples    the rows the live planner estimates for it (reltuples scaled to its pages); -1 never analyzed
     * @param allVisible the share of its pages marked all-visible
     */
    record Relation(String name, String kind, String table, boolean partition, long pages, double tuples, double allVisible) {

        boolean isTable() {
            return "r".equals(kind);
        }
    }

    /**
     * What the live database holds.
     *
     * @param relations   tables, partitioned tables, materialized views and indexes, by name
     * @param columns     {@code pg_stats} of the tables' columns, as a JSON array {@code pg_restore_attribute_stats} reads
     * @param columnCount how many columns {@code columns} holds
     * @param settings    the live session's planner settings, as a JSON array of {@code {name, value}}
     */
    record Snapshot(Map<String, Relation> relations, String columns, int columnCount, String settings) {
    }

    /** The snapshot, or why none can be taken. */
    record Read(Snapshot snapshot, String unavailable) {
    }

    private PlannerStatistics() {
    }

    /**
     * Reads the live schema's statistics, or says why they cannot be copied: a server before PostgreSQL 18, columns
     * the role may not read (pg_stats shows only columns the role may SELECT), tables under row-level security.
     */
    static Read read(Connection live, SchemaName schema) throws SQLException {
        try (Statement statement = live.createStatement();
                ResultSet rs = statement.executeQuery("SELECT current_setting('server_version_num')::int,"
                        + " current_setting('server_version'), current_user")) {
            rs.next();
            if (rs.getInt(1) < FIRST_VERSION_NUM) {
                return new Read(null, "the live server runs PostgreSQL " + rs.getString(2) + "; copying planner statistics into a"
                        + " scratch database needs PostgreSQL 18 (pg_restore_relation_stats, pg_restore_attribute_stats), and plans"
                        + " compared without them would be meaningless");
            }
        }
        Optional<String> hidden = hidden(live, schema);
        if (hidden.isPresent()) {
            return new Read(null, hidden.get());
        }
        Map<String, Relation> relations = new LinkedHashMap<>();
        try (PreparedStatement statement = managed(live, "SELECT c.relname, c.relkind::text, coalesce(t.relname, c.relname),"
                + " c.relispartition, pg_relation_size(c.oid) / current_setting('block_size')::int AS pages,"
                + " CASE WHEN c.reltuples < 0 THEN -1 WHEN c.relpages > 0"
                + " THEN c.reltuples / c.relpages * (pg_relation_size(c.oid) / current_setting('block_size')::int)"
                + " ELSE c.reltuples END, CASE WHEN c.relpages > 0 THEN least(c.relallvisible::float8 / c.relpages, 1) ELSE 0 END"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'm', 'i', 'I') AND coalesce(t.relname, c.relname) <> ?"
                + " ORDER BY c.relname", schema)) {
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    relations.put(rs.getString(1), new Relation(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4),
                            rs.getLong(5), rs.getDouble(6), rs.getDouble(7)));
                }
            }
        }
        String columns;
        int columnCount;
        try (PreparedStatement statement = managed(live, "SELECT coalesce(jsonb_agg(jsonb_build_object("
                + "'relname', s.tablename, 'attname', s.attname, 'type', format_type(a.atttypid, a.atttypmod),"
                + " 'inherited', s.inherited, 'null_frac', s.null_frac, 'avg_width', s.avg_width, 'n_distinct', s.n_distinct,"
                + " 'most_common_vals', s.most_common_vals::text, 'most_common_freqs', s.most_common_freqs,"
                + " 'histogram_bounds', s.histogram_bounds::text, 'correlation', s.correlation,"
                + " 'most_common_elems', s.most_common_elems::text, 'most_common_elem_freqs', s.most_common_elem_freqs,"
                + " 'elem_count_histogram', s.elem_count_histogram, 'range_length_histogram', s.range_length_histogram::text,"
                + " 'range_empty_frac', s.range_empty_frac, 'range_bounds_histogram', s.range_bounds_histogram::text)), '[]')::text,"
                + " count(*) FROM pg_stats s JOIN pg_namespace n ON n.nspname = s.schemaname"
                + " JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = s.tablename"
                + " JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = s.attname"
                + " WHERE s.schemaname = ? AND c.relkind IN ('r', 'p', 'm') AND s.tablename <> ?", schema)) {
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                columns = rs.getString(1);
                columnCount = rs.getInt(2);
            }
        }
        String settings;
        try (Statement statement = live.createStatement();
                ResultSet rs = statement.executeQuery("SELECT coalesce(jsonb_agg(jsonb_build_object('name', name, 'value', value)), '[]')"
                        + "::text FROM (" + PLANNER_SETTINGS + ") s")) {
            rs.next();
            settings = rs.getString(1);
        }
        return new Read(new Snapshot(relations, columns, columnCount, settings), null);
    }

    /**
     * {@code sql} prepared with the managed schema as its first parameter and Flyway's history table, which is Sluice's
     * and never the application's, as its second: what every catalog query here reads is the schema without it.
     */
    static PreparedStatement managed(Connection connection, String sql, SchemaName schema) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            statement.setString(1, schema.value());
            statement.setString(2, FlywaySetup.HISTORY_TABLE);
        } catch (SQLException e) {
            statement.close();
            throw e;
        }
        return statement;
    }

    /** Why the role cannot see all of the schema's statistics, if it cannot. */
    private static Optional<String> hidden(Connection live, SchemaName schema) throws SQLException {
        try (PreparedStatement statement = managed(live, "SELECT count(*), count(DISTINCT c.oid),"
                + " min(quote_ident(c.relname) || '.' || quote_ident(a.attname)), current_user"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_attribute a ON a.attrelid = c.oid"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p', 'm') AND c.relname <> ? AND a.attnum > 0 AND NOT a.attisdropped"
                + " AND NOT has_column_privilege(c.oid, a.attnum, 'SELECT')", schema)) {
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return Optional.of("role " + Echo.value(rs.getString(4)) + " may not read the statistics of " + rs.getInt(1)
                            + " column(s) of " + rs.getInt(2) + " table(s) (first: " + Echo.value(rs.getString(3)) + "): pg_stats shows"
                            + " only the columns a role may SELECT. Run preflight as the tables' owner (such as the RDS master user"
                            + " that ran the migrations), or grant SELECT on them or the role pg_read_all_data");
                }
            }
        }
        try (PreparedStatement statement = live.prepareStatement("SELECT count(*), min(quote_ident(c.relname)) FROM pg_class c"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relkind IN ('r', 'p')"
                + " AND c.relrowsecurity AND row_security_active(c.oid)")) {
            statement.setString(1, schema.value());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    return Optional.of(rs.getInt(1) + " table(s) (first: " + Echo.value(rs.getString(2)) + ") have row-level security"
                            + " active for this role, and pg_stats hides their statistics: run preflight as their owner or a role"
                            + " with BYPASSRLS");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The live planner settings in the planning session of the scratch database: with another {@code random_page_cost}
     * or {@code work_mem} the same statistics give other plans.
     */
    static void applySettings(Connection scratch, Snapshot snapshot) throws SQLException {
        try (PreparedStatement statement = scratch.prepareStatement("SELECT count(set_config(s.name, s.value, false))"
                + " FROM jsonb_to_recordset(?::jsonb) AS s(name text, value text)")) {
            statement.setString(1, snapshot.settings());
            statement.execute();
        }
    }

    /**
     * Copies the live columns' statistics into the scratch database at the current version: each column that exists
     * there with the same type. Columns keep them through later scripts as they do on the live database; a column a
     * script retypes loses them there as it will on the live one.
     *
     * @return the number of columns given statistics
     */
    static int restoreColumns(Connection scratch, SchemaName schema, Snapshot snapshot, List<String> notes) throws SQLException {
        String sql = "SELECT count(*) FILTER (WHERE ok), count(*) FILTER (WHERE NOT ok), count(*) FILTER (WHERE ok IS NULL),"
                + " min(skipped) FROM (SELECT CASE WHEN x.type IS DISTINCT FROM s.type THEN NULL ELSE pg_restore_attribute_stats("
                + "'schemaname', ?::text, 'relname', s.relname, 'attname', s.attname, 'inherited', s.inherited,"
                + " 'null_frac', s.null_frac, 'avg_width', s.avg_width, 'n_distinct', s.n_distinct,"
                + " 'most_common_vals', s.most_common_vals, 'most_common_freqs', s.most_common_freqs,"
                + " 'histogram_bounds', s.histogram_bounds, 'correlation', s.correlation, 'most_common_elems', s.most_common_elems,"
                + " 'most_common_elem_freqs', s.most_common_elem_freqs, 'elem_count_histogram', s.elem_count_histogram,"
                + " 'range_length_histogram', s.range_length_histogram, 'range_empty_frac', s.range_empty_frac,"
                + " 'range_bounds_histogram', s.range_bounds_histogram) END AS ok,"
                + " CASE WHEN x.type IS DISTINCT FROM s.type THEN s.relname || '.' || s.attname END AS skipped"
                + " FROM jsonb_to_recordset(?::jsonb) AS s(relname text, attname text, type text, inherited boolean, null_frac real,"
                + " avg_width integer, n_distinct real, most_common_vals text, most_common_freqs real[], histogram_bounds text,"
                + " correlation real, most_common_elems text, most_common_elem_freqs real[], elem_count_histogram real[],"
                + " range_length_histogram text, range_empty_frac real, range_bounds_histogram text)"
                + " LEFT JOIN LATERAL (SELECT format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a"
                + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = s.relname AND a.attname = s.attname AND NOT a.attisdropped) x ON true) r";
        try (PreparedStatement statement = scratch.prepareStatement(sql)) {
            statement.setString(1, schema.value());
            statement.setString(2, snapshot.columns());
            statement.setString(3, schema.value());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                if (rs.getInt(2) > 0) {
                    notes.add(rs.getInt(2) + " column(s) took their statistics with warnings from pg_restore_attribute_stats (see the"
                            + " function's log)");
                }
                if (rs.getInt(3) > 0) {
                    notes.add(rs.getInt(3) + " column(s) of the live database are missing or of another type in the schema the scripts"
                            + " build at the current version (first: " + Echo.value(rs.getString(4)) + "): drift; they were not given"
                            + " statistics");
                }
                return rs.getInt(1) + rs.getInt(2);
            }
        }
    }

    /**
     * Gives every scratch relation the live one's size: tables their pages (again after a script rewrote one), then
     * every relation its {@code relpages} (the pages it has in the scratch database), {@code reltuples} (the live
     * planner's rows) and {@code relallvisible}. Run at the current version and after each script (a rewrite or a new
     * index resets what it set).
     *
     * @param notes receives, once, each table that could not be given its size or was given less than it has
     * @return the number of relations given statistics
     */
    static int restoreRelations(Connection scratch, SchemaName schema, Snapshot snapshot, List<String> notes) throws SQLException {
        pad(scratch, schema, snapshot, notes);
        ArrayNode rows = JSON.createArrayNode();
        for (Relation relation : snapshot.relations().values()) {
            rows.addObject().put("relname", relation.name()).put("kind", relation.kind()).put("tuples", relation.tuples())
                    .put("allvisible", relation.allVisible());
        }
        try (PreparedStatement statement = scratch.prepareStatement("SELECT count(*) FROM (SELECT pg_restore_relation_stats("
                + "'schemaname', ?::text, 'relname', r.relname, 'relpages', p.pages, 'reltuples', r.tuples,"
                + " 'relallvisible', least(round(r.allvisible * p.pages), p.pages)::integer) FROM jsonb_to_recordset(?::jsonb)"
                + " AS r(relname text, kind text, tuples real, allvisible float8)"
                + " JOIN LATERAL (SELECT (pg_relation_size(c.oid) / current_setting('block_size')::int)::integer AS pages"
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relname = r.relname AND c.relkind::text = r.kind) p ON true) restored")) {
            statement.setString(1, schema.value());
            statement.setString(2, rows.toString());
            statement.setString(3, schema.value());
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The pages each scratch table gets: its live pages, capped per table and in all. */
    static Map<String, Long> targetPages(Snapshot snapshot) {
        Map<String, Long> target = new LinkedHashMap<>();
        long sum = 0;
        for (Relation relation : snapshot.relations().values()) {
            if (relation.isTable() && !relation.partition() && relation.pages() > 0) {
                long pages = Math.min(relation.pages(), MAX_PAGES_PER_TABLE);
                target.put(relation.name(), pages);
                sum += pages;
            }
        }
        if (sum > MAX_PAGES) {
            double scale = (double) MAX_PAGES / sum;
            target.replaceAll((name, pages) -> Math.max(1, (long) Math.floor(pages * scale)));
        }
        return target;
    }

    /** Gives each scratch table that has fewer pages than its target the pages it lacks. */
    private static void pad(Connection scratch, SchemaName schema, Snapshot snapshot, List<String> notes) throws SQLException {
        Map<String, Long> target = targetPages(snapshot);
        Map<String, Long> lacking = new LinkedHashMap<>();
        try (PreparedStatement statement = scratch.prepareStatement("SELECT c.relname, pg_relation_size(c.oid) /"
                + " current_setting('block_size')::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind = 'r'")) {
            statement.setString(1, schema.value());
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    Long pages = target.get(rs.getString(1));
                    if (pages != null && rs.getLong(2) < pages) {
                        lacking.put(rs.getString(1), pages - rs.getLong(2));
                    }
                }
            }
        }
        if (lacking.isEmpty()) {
            return;
        }
        try (Statement statement = scratch.createStatement()) {
            for (String table : lacking.keySet()) {
                // Committed before the padding: autovacuum would truncate the dead pages, or analyze the table afresh.
                statement.execute("ALTER TABLE " + schema.quoted() + "." + quote(table)
                        + " SET (autovacuum_enabled = false)");
            }
        }
        boolean autoCommit = scratch.getAutoCommit();
        scratch.setAutoCommit(false);
        try (Statement statement = scratch.createStatement()) {
            for (Map.Entry<String, Long> entry : lacking.entrySet()) {
                Savepoint savepoint = scratch.setSavepoint();
                try {
                    for (String sql : padding(scratch, schema, entry.getKey(), entry.getValue())) {
                        statement.execute(sql);
                    }
                    scratch.releaseSavepoint(savepoint);
                } catch (SQLException e) {
                    scratch.rollback(savepoint);
                    notes.add("table " + entry.getKey() + " could not be given its pages in the scratch database (SQLSTATE "
                            + e.getSQLState() + ": " + Echo.value(ApplicationQueries.firstLine(e.getMessage())) + "): it is planned smaller than it is");
                    LOG.warnf("padding %s failed: %s", entry.getKey(), Echo.value(e.getMessage()));
                }
            }
        } finally {
            // The rows go; the pages they were written to stay.
            scratch.rollback();
            scratch.setAutoCommit(autoCommit);
        }
    }

    /**
     * The statements that write {@code pages} pages into {@code table}: whatever a row of empty columns would break
     * (constraints, NOT NULL, triggers) removed first, in the transaction that is then rolled back.
     */
    private static List<String> padding(Connection scratch, SchemaName schema, String table, long pages) throws SQLException {
        String name = schema.quoted() + "." + quote(table);
        List<String> sql = new ArrayList<>();
        try (PreparedStatement statement = scratch.prepareStatement("SELECT quote_ident(conname) FROM pg_constraint"
                + " WHERE conrelid = ?::regclass AND contype IN ('c', 'f', 'p', 'u', 'x') AND coninhcount = 0")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    sql.add("ALTER TABLE " + name + " DROP CONSTRAINT IF EXISTS " + rs.getString(1) + " CASCADE");
                }
            }
        }
        try (PreparedStatement statement = scratch.prepareStatement("SELECT quote_ident(attname) FROM pg_attribute"
                + " WHERE attrelid = ?::regclass AND attnum > 0 AND NOT attisdropped AND attnotnull AND attidentity = ''")) {
            statement.setString(1, name);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    sql.add("ALTER TABLE " + name + " ALTER COLUMN " + rs.getString(1) + " DROP NOT NULL");
                }
            }
        }
        sql.add("ALTER TABLE " + name + " DISABLE TRIGGER USER");
        sql.add("ALTER TABLE " + name + " ADD COLUMN " + PAD_COLUMN + " text STORAGE PLAIN");
        sql.add("INSERT INTO " + name + " (" + PAD_COLUMN + ") SELECT repeat('x', " + PAD_BYTES + ") FROM generate_series(1, " + pages
                + ")");
        return sql;
    }

    /** The tables given fewer pages than the live ones have, said once. */
    static void capped(Snapshot snapshot, List<String> notes) {
        Map<String, Long> target = targetPages(snapshot);
        List<String> capped = new ArrayList<>();
        target.forEach((table, pages) -> {
            long live = snapshot.relations().get(table).pages();
            if (pages < live) {
                capped.add(table + " (" + live + " pages live, " + pages + " in the scratch database)");
            }
        });
        if (!capped.isEmpty()) {
            notes.add("tables larger than the scratch database gives them (" + MAX_PAGES_PER_TABLE + " pages a table, " + MAX_PAGES
                    + " in all): " + String.join(", ", capped.subList(0, Math.min(10, capped.size())))
                    + (capped.size() > 10 ? " and " + (capped.size() - 10) + " more" : "") + "; their row estimates are the live"
                    + " ones, their sequential scans look cheaper than they are");
        }
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }
}
