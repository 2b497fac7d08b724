package io.sluice.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a live database's user schemas from {@code pg_catalog} into a {@link Snapshot}: one query per object
 * kind, whatever the number of tables. System schemas, objects that belong to extensions, Sluice's own schema
 * and Flyway's history table are left out; so are partitions' copies of their parent's columns, constraints and
 * indexes. Definitions come from PostgreSQL's own deparsers ({@code pg_get_indexdef}, {@code pg_get_viewdef},
 * ...), so two databases with the same schema give the same text.
 */
public final class CatalogReader {

    /** Flyway's history table, never part of the schema Sluice compares. */
    public static final String HISTORY_TABLE = "flyway_schema_history";

    private final String stateSchema;
    private final boolean includePrivileges;

    /**
     * @param stateSchema       Sluice's own schema, left out of every snapshot
     * @param includePrivileges whether owners and grants count as part of the schema
     */
    public CatalogReader(String stateSchema, boolean includePrivileges) {
        this.stateSchema = stateSchema;
        this.includePrivileges = includePrivileges;
    }

    private static String userSchema(String namespace) {
        return " " + namespace + ".nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"
                + " AND " + namespace + ".nspname NOT LIKE 'pg\\_temp\\_%' AND " + namespace + ".nspname NOT LIKE 'pg\\_toast\\_temp\\_%'"
                + " AND " + namespace + ".nspname <> ? ";
    }

    private static String notFromExtension(String classTable, String oid) {
        return " NOT EXISTS (SELECT 1 FROM pg_depend dep WHERE dep.classid = '" + classTable + "'::regclass AND dep.objid = "
                + oid + " AND dep.deptype = 'e') ";
    }

    private static String sortedAcl(String acl) {
        return "array_to_string(ARRAY(SELECT x::text FROM unnest(" + acl + ") x ORDER BY 1), ' ')";
    }

    public Snapshot read(Connection connection) throws SQLException {
        List<DbObject> objects = new ArrayList<>();
        schemas(connection, objects);
        extensions(connection, objects);
        types(connection, objects);
        sequences(connection, objects);
        relations(connection, objects);
        columns(connection, objects);
        constraints(connection, objects);
        indexes(connection, objects);
        functions(connection, objects);
        triggers(connection, objects);
        policies(connection, objects);
        return Snapshot.of(objects);
    }

    private void schemas(Connection connection, List<DbObject> out) throws SQLException {
        query(connection, "SELECT quote_ident(n.nspname), pg_get_userbyid(n.nspowner), " + sortedAcl("n.nspacl")
                + " FROM pg_namespace n WHERE" + userSchema("n") + "AND" + notFromExtension("pg_namespace", "n.oid"), rs -> {
                    Map<String, String> a = new LinkedHashMap<>();
                    privileges(a, rs.getString(2), rs.getString(3));
                    out.add(DbObject.of(ObjectKind.SCHEMA, rs.getString(1), a));
                });
    }

    private void extensions(Connection connection, List<DbObject> out) throws SQLException {
        query(connection, "SELECT quote_ident(e.extname), e.extversion, quote_ident(n.nspname) FROM pg_extension e"
                + " JOIN pg_namespace n ON n.oid = e.extnamespace WHERE n.nspname <> ?", rs -> out.add(DbObject.of(
                        ObjectKind.EXTENSION, rs.getString(1), Map.of("version", rs.getString(2), "schema", rs.getString(3)))));
    }

    private void types(Connection connection, List<DbObject> out) throws SQLException {
        String from = " FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE" + userSchema("n") + "AND"
                + notFromExtension("pg_type", "t.oid");
        query(connection, "SELECT format('%I.%I', n.nspname, t.typname), (SELECT string_agg(quote_literal(e.enumlabel), ', '"
                + " ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid)" + from + "AND t.typtype = 'e'",
                rs -> out.add(DbObject.of(ObjectKind.ENUM, rs.getString(1), Map.of("labels", rs.getString(2)))));
        query(connection, "SELECT format('%I.%I', n.nspname, t.typname), format_type(t.typbasetype, t.typtypmod), t.typnotnull,"
                + " t.typdefault, (SELECT string_agg('CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid), ' ' ORDER BY"
                + " c.conname) FROM pg_constraint c WHERE c.contypid = t.oid)" + from + "AND t.typtype = 'd'", rs -> {
                    Map<String, String> a = new LinkedHashMap<>();
                    a.put("baseType", rs.getString(2));
                    a.put("notNull", String.valueOf(rs.getBoolean(3)));
                    a.put("default", rs.getString(4));
                    a.put("constraints", rs.getString(5));
                    out.add(DbObject.of(ObjectKind.DOMAIN, rs.getString(1), a));
                });
        query(connection, "SELECT format('%I.%I', n.nspname, t.typname), (SELECT string_agg(quote_ident(a.attname) || ' '"
                + " || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid ="
                + " t.typrelid AND a.attnum > 0 AND NOT a.attisdropped)" + from + "AND t.typtype = 'c' AND"
                + " (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'",
                rs -> out.add(DbObject.of(ObjectKind.COMPOSITE_TYPE, rs.getString(1), Map.of("attributes", rs.getString(2)))));
    }

    private void sequences(Connection connection, List<DbObject> out) throws SQLException {
        query(connection, "SELECT format('%I.%I', n.nspname, c.relname), format_type(s.seqtypid, NULL), s.seqstart,"
                + " s.seqincrement, s.seqmin, s.seqmax, s.seqcache, s.seqcycle, (SELECT format('%I.%I.%I', tn.nspname,"
                + " tc.relname, ta.attname) FROM pg_depend d JOIN pg_class tc ON tc.oid = d.refobjid JOIN pg_namespace tn ON"
                + " tn.oid = tc.relnamespace JOIN pg_attribute ta ON ta.attrelid = d.refobjid AND ta.attnum = d.refobjsubid"
                + " WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'a' LIMIT 1),"
                + " pg_get_userbyid(c.relowner), " + sortedAcl("c.relacl")
                + " FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE" + userSchema("n") + "AND" + notFromExtension("pg_class", "c.oid")
                + " AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid"
                + " AND d.deptype = 'i')", rs -> {
                    Map<String, String> a = new LinkedHashMap<>();
                    a.put("type", rs.getString(2));
                    a.put("start", rs.getString(3));
                    a.put("increment", rs.getString(4));
                    a.put("min", rs.getString(5));
                    a.put("max", rs.getString(6));
                    a.put("cache", rs.getString(7));
                    a.put("cycle", String.valueOf(rs.getBoolean(8)));
                    a.put("ownedBy", rs.getString(9));
                    privileges(a, rs.getString(10), rs.getString(11));
                    out.add(DbObject.of(ObjectKind.SEQUENCE, rs.getString(1), a));
                });
    }

    private void relations(Connection connection, List<DbObject> out) throws SQLException {
        query(connection, "SELECT format('%I.%I', n.nspname, c.relname), c.relkind, c.relpersistence, c.relrowsecurity,"
                + " c.relforcerowsecurity, CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END,"
                + " (SELECT format('%I.%I', pn.nspname, pc.relname) FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent"
                + " JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid AND c.relispartition),"
                + " CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END,"
                + " array_to_string(c.reloptions, ', '), CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END,"
                + " pg_get_userbyid(c.relowner), " + sortedAcl("c.relacl")
                + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v', 'm')"
                + " AND c.relname <> '" + HISTORY_TABLE + "' AND" + userSchema("n") + "AND" + notFromExtension("pg_class", "c.oid"),
                rs -> {
                    String relkind = rs.getString(2);
                    Map<String, String> a = new LinkedHashMap<>();
                    a.put("options", emptyToNull(rs.getString(9)));
                    ObjectKind kind;
                    if (relkind.equals("v") || relkind.equals("m")) {
                        kind = relkind.equals("v") ? ObjectKind.VIEW : ObjectKind.MATERIALIZED_VIEW;
                        a.put("definition", rs.getString(10));
                    } else {
                        kind = ObjectKind.TABLE;
                        a.put("unlogged", rs.getString(3).equals("u") ? "true" : null);
                        a.put("rowSecurity", rs.getBoolean(4) ? (rs.getBoolean(5) ? "forced" : "enabled") : null);
                        a.put("partitionKey", rs.getString(6));
                        a.put("partitionOf", rs.getString(7));
                        a.put("partitionBound", rs.getString(8));
                    }
                    privileges(a, rs.getString(11), rs.getString(12));
                    out.add(DbObject.of(kind, rs.getString(1), a));
                });
    }

    private void columns(Connection connection, List<DbObject> out) throws SQLException {
        query(connection, "SELECT format('%I.%I', n.nspname, c.relname), quote_ident(a.attname), format_type(a.atttypid,"
                + " a.atttypmod), a.attnotnull, pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated,"
                + " CASE WHEN a.attcollation <> t.typcollation THEN (SELECT format('%I.%I', cn.nspname, co.collname) FROM"
                + " pg_collation co JOIN pg_namespace cn ON cn.oid = co.collnamespace WHERE co.oid = a.attcollation) END"
                + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum"
                + " WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p') AND NOT c.relispartition"
                + " AND c.relname <> '" + HISTORY_TABLE + "' AND" + userSchema("n") + "AND" + notFromExtension("pg_class", "c.oid"),
                rs -> {
                    String table = rs.getString(1);
                    String generated = rs.getString(7);
                    String identity = rs.getString(6);
                    Map<String, String> a = new LinkedHashMap<>();
                    a.put("table", table);
                    a.put("column", rs.getString(2));
                    a.put("type", rs.getString(3));
                    a.put("notNull", String.valueOf(rs.getBoolean(4)));
                    if (generated != null && !generated.isEmpty()) {
                        a.put("generated", rs.getString(5));
                    } else {
                        a.put("default", rs.getString(5));
                    }
                    a.put("identity", switch (identity == null ? "" : identity) {
                        case "a" -> "always";
                        case "d" -> "by default";
                        default -> null;
                    });
                    a.put("collation", rs.getString(8));
                    out.add(DbObject.of(ObjectKind.COLUMN, table + "." + rs.getString(2), a));
                });
    }

    private void constraints(Connection connection, List<DbObject> out) throws SQLException {
        // PostgreSQL 18 records each NOT NULL as a constraint (contype 'n') as well; the column's own NOT NULL already
        // says it, and a schema read on 17 and on 18 must be the same schema.
        query(connection, "SELECT format('%I.%I', n.nspname, c.relname), quote_ident(con.conname), con.contype,"
                + " pg_get_constraintdef(con.oid), con.convalidated, con.condeferrable, con.condeferred"
                + " FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE con.conparentid = 0 AND con.contype <> 'n' AND NOT c.relispartition AND c.relname <> '" + HISTORY_TABLE + "' AND"
                + userSchema("n") + "AND" + notFromExtension("pg_class", "c.oid"), rs -> {
                    String table = rs.getString(1);
                    Map<String, String> a = new LinkedHashMap<>();
                    a.put("table", table);
                    a.put("constraint", rs.getString(2));
                    a.put("type", switch (rs.getString(3)) {
                        case "p" -> "primary key";
                        case "u" -> "unique";
                        case "c" -> "check";
                        case "f" -> "foreign key";
                        case "x" -> "exclude";
                        case "n" -> "not null";
                        default -> rs.getString(3);
                    });
                    a.put("definition", rs.getString(4));
                    a.put("validated", String.valueOf(rs.getBoolean(5)));
                    a.put("deferrable", rs.getBoolean(6) ? (rs.getBoolean(7) ? "initially deferred" : "initially immediate") : null);
                    out.add(DbObject.of(ObjectKind.CONSTRAINT, table + "." + rs.getString(2), a));
                });
    }

    private void indexes(Connection connection, List<DbObject> out) throws SQLException {
        query(connection, "SELECT format('%I.%I', n.nspname, ic.relname), format('%I.%I', tn.nspname, tc.relname),"
                + " pg_get_indexdef(i.indexrelid), i.indisunique, i.indisvalid, am.amname, EXISTS (SELECT 1 FROM pg_constraint"
                + " con WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u', 'x'))"
                + " FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace"
                + " JOIN pg_class tc ON tc.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = tc.relnamespace"
                + " JOIN pg_am am ON am.oid = ic.relam WHERE NOT ic.relispartition AND tc.relkind IN ('r', 'p', 'm')"
                + " AND tc.relname <> '" + HISTORY_TABLE + "' AND" + userSchema("n") + "AND" + notFromExtension("pg_class", "tc.oid"),
                rs -> {
                    Map<String, String> a = new LinkedHashMap<>();
                    a.put("table", rs.getString(2));
                    a.put("definition", rs.getString(3));
                    a.put("unique", String.valueOf(rs.getBoolean(4)));
                    a.put("valid", String.valueOf(rs.getBoolean(5)));
                    a.put("method", rs.getString(6));
                    a.put("constraint", rs.getBoolean(7) ? "true" : null);
                    out.add(DbObject.of(ObjectKind.INDEX, rs.getString(1), a));
                });
    }

    private void functions(Connection connection, List<DbObject> out) throws SQLException {
        query(connection, "SELECT format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid)),"
                + " p.prokind, l.lanname, pg_get_functiondef(p.oid), pg_get_userbyid(p.proowner), " + sortedAcl("p.proacl")
                + " FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang"
                + " WHERE p.prokind IN ('f', 'p', 'w') AND" + userSchema("n") + "AND" + notFromExtension("pg_proc", "p.oid"),
                rs -> {
                    Map<String, String> a = new LinkedHashMap<>();
                    a.put("kind", rs.getString(2).equals("p") ? "procedure" : "function");
                    a.put("language", rs.getString(3));
                    a.put("definition", rs.getString(4));
                    privileges(a, rs.getString(5), rs.getString(6));
                    out.add(DbObject.of(ObjectKind.FUNCTION, rs.getString(1), a));
                });
    }

    private void triggers(Connection connection, List<DbObject> out) throws SQLException {
        query(connection, "SELECT format('%I.%I', n.nspname, c.relname), quote_ident(t.tgname), pg_get_triggerdef(t.oid, true),"
                + " t.tgenabled FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND" + userSchema("n") + "AND" + notFromExtension("pg_class", "c.oid"),
                rs -> {
                    String table = rs.getString(1);
                    Map<String, String> a = new LinkedHashMap<>();
                    a.put("table", table);
                    a.put("trigger", rs.getString(2));
                    a.put("definition", rs.getString(3));
                    a.put("enabled", switch (rs.getString(4)) {
                        case "D" -> "disabled";
                        case "R" -> "replica";
                        case "A" -> "always";
                        default -> "origin";
                    });
                    out.add(DbObject.of(ObjectKind.TRIGGER, table + "." + rs.getString(2), a));
                });
    }

    private void policies(Connection connection, List<DbObject> out) throws SQLException {
        query(connection, "SELECT format('%I.%I', n.nspname, c.relname), quote_ident(p.polname), p.polcmd, p.polpermissive,"
                + " array_to_string(ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE quote_ident(pg_get_userbyid(r)) END"
                + " FROM unnest(p.polroles) r ORDER BY 1), ', '), pg_get_expr(p.polqual, p.polrelid),"
                + " pg_get_expr(p.polwithcheck, p.polrelid) FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid"
                + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE" + userSchema("n"), rs -> {
                    String table = rs.getString(1);
                    Map<String, String> a = new LinkedHashMap<>();
                    a.put("table", table);
                    a.put("policy", rs.getString(2));
                    a.put("command", switch (rs.getString(3)) {
                        case "r" -> "SELECT";
                        case "a" -> "INSERT";
                        case "w" -> "UPDATE";
                        case "d" -> "DELETE";
                        default -> "ALL";
                    });
                    a.put("permissive", rs.getBoolean(4) ? "PERMISSIVE" : "RESTRICTIVE");
                    a.put("roles", rs.getString(5));
                    a.put("using", rs.getString(6));
                    a.put("withCheck", rs.getString(7));
                    out.add(DbObject.of(ObjectKind.POLICY, table + "." + rs.getString(2), a));
                });
    }

    private void privileges(Map<String, String> attributes, String owner, String acl) {
        if (includePrivileges) {
            attributes.put("owner", owner);
            attributes.put("grants", emptyToNull(acl));
        }
    }

    private static String emptyToNull(String text) {
        return text == null || text.isEmpty() ? null : text;
    }

    @FunctionalInterface
    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    /** Runs {@code sql} with Sluice's state schema bound to its one parameter. */
    private void query(Connection connection, String sql, RowHandler handler) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, stateSchema);
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        }
    }
}
