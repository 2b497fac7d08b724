package io.sluice.catalog;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sluice.event.SchemaDifference;
import io.sluice.event.SchemaDifference.Change;
import io.sluice.event.SchemaDifference.ValueChange;

/**
 * The SQL that brings one live object back to what a snapshot expects. Names in a snapshot are already quoted by
 * PostgreSQL ({@code format('%I')}) and definitions come from its deparsers, so the statements are built from
 * catalog text only, never from event input. Where no statement is safe (reordering an enum, changing a
 * partition key) there is none, and the note says so.
 */
final class Reconcile {

    private Reconcile() {
    }

    /** An object that exists in the live schema only: drop it. */
    static SchemaDifference added(DbObject have) {
        String table = have.attribute("table");
        String sql = switch (have.kind()) {
            case SCHEMA -> "DROP SCHEMA " + have.name() + ";";
            case EXTENSION -> "DROP EXTENSION " + have.name() + ";";
            case ENUM, COMPOSITE_TYPE -> "DROP TYPE " + have.name() + ";";
            case DOMAIN -> "DROP DOMAIN " + have.name() + ";";
            case SEQUENCE -> "DROP SEQUENCE " + have.name() + ";";
            case TABLE -> "DROP TABLE " + have.name() + ";";
            case COLUMN -> "ALTER TABLE " + table + " DROP COLUMN " + have.attribute("column") + ";";
            case CONSTRAINT -> "ALTER TABLE " + table + " DROP CONSTRAINT " + have.attribute("constraint") + ";";
            case INDEX -> have.attribute("constraint") != null ? null : "DROP INDEX CONCURRENTLY IF EXISTS " + have.name() + ";";
            case FUNCTION -> "DROP " + have.attribute("kind").toUpperCase() + " " + have.name() + ";";
            case VIEW -> "DROP VIEW " + have.name() + ";";
            case MATERIALIZED_VIEW -> "DROP MATERIALIZED VIEW " + have.name() + ";";
            case TRIGGER -> "DROP TRIGGER " + have.attribute("trigger") + " ON " + table + ";";
            case POLICY -> "DROP POLICY " + have.attribute("policy") + " ON " + table + ";";
        };
        String note = switch (have.kind()) {
            case TABLE, COLUMN -> "not in the expected schema; dropping it loses its data";
            case INDEX -> sql == null ? "belongs to a constraint; follows it" : "not in the expected schema";
            default -> "not in the expected schema";
        };
        return new SchemaDifference(have.kind().label(), have.name(), Change.ADDED, Map.of(), sql, note);
    }

    /**
     * An object the snapshot expects but the live schema lacks: create it. A missing table is created with its
     * columns (a partition key needs them), so its columns need no statement of their own.
     *
     * @param expected      the whole expected schema, for a table's columns and owned sequences
     * @param missingTables tables that are missing as a whole
     */
    static SchemaDifference removed(DbObject want, Snapshot expected, Set<String> missingTables) {
        String table = want.attribute("table");
        if (want.kind() == ObjectKind.COLUMN && missingTables.contains(table)) {
            return new SchemaDifference(want.kind().label(), want.name(), Change.REMOVED, Map.of(), null,
                    "created with table " + table);
        }
        if (want.kind() == ObjectKind.INDEX && want.attribute("constraint") != null) {
            return new SchemaDifference(want.kind().label(), want.name(), Change.REMOVED, Map.of(), null,
                    "belongs to a constraint; created with it");
        }
        String sql = switch (want.kind()) {
            case TABLE -> createTable(want, expected);
            case SEQUENCE -> sequenceOptions("CREATE SEQUENCE " + want.name(), want) + ";"
                    + (want.attribute("ownedBy") != null && !missingTables.contains(owningTable(want))
                            ? "\nALTER SEQUENCE " + want.name() + " OWNED BY " + want.attribute("ownedBy") + ";" : "");
            default -> create(want);
        };
        String note = sql == null ? "no safe SQL: recreate it from the migration that made it" : "missing from the live schema";
        return new SchemaDifference(want.kind().label(), want.name(), Change.REMOVED, Map.of(), sql, note);
    }

    /** The table of a sequence's OWNED BY column ("schema.table.column" → "schema.table"). */
    private static String owningTable(DbObject sequence) {
        String ownedBy = sequence.attribute("ownedBy");
        return ownedBy.substring(0, ownedBy.lastIndexOf('.'));
    }

    /** An object whose properties differ: alter it back. */
    static SchemaDifference changed(DbObject want, DbObject have, Map<String, ValueChange> changes) {
        List<String> statements = new ArrayList<>();
        boolean complete = switch (want.kind()) {
            case COLUMN -> alterColumn(want, changes, statements);
            case TABLE -> alterTable(want, changes, statements);
            case CONSTRAINT -> {
                if (changes.keySet().equals(Set.of("validated")) && "true".equals(want.attribute("validated"))) {
                    statements.add("ALTER TABLE " + want.attribute("table") + " VALIDATE CONSTRAINT " + want.attribute("constraint") + ";");
                } else {
                    statements.add(added(have).reconcileSql());
                    statements.add(create(want));
                }
                yield true;
            }
            case INDEX, TRIGGER, POLICY, MATERIALIZED_VIEW -> {
                String drop = added(have).reconcileSql();
                if (drop == null) {
                    yield false;
                }
                statements.add(drop);
                statements.add(create(want));
                yield true;
            }
            case VIEW -> {
                // Only its options or owner changed (a changed definition goes through changedView).
                if (changes.containsKey("options")) {
                    statements.add("ALTER VIEW " + want.name() + (want.attribute("options") == null
                            ? " RESET (" + optionNames(changes.get("options").actual()) + ");"
                            : " SET (" + want.attribute("options") + ");"));
                }
                yield changes.keySet().stream().allMatch(key -> key.equals("options") || key.equals("owner"));
            }
            case FUNCTION -> {
                statements.add(body(want.attribute("definition")) + ";");
                yield changes.keySet().stream().allMatch(key -> key.equals("definition") || key.equals("language"));
            }
            case SEQUENCE -> {
                statements.add(sequenceOptions("ALTER SEQUENCE " + want.name(), want) + ownedBy(want) + ";");
                yield true;
            }
            case EXTENSION -> {
                if (changes.containsKey("version")) {
                    statements.add("ALTER EXTENSION " + want.name() + " UPDATE TO " + literal(want.attribute("version")) + ";");
                }
                if (changes.containsKey("schema")) {
                    statements.add("ALTER EXTENSION " + want.name() + " SET SCHEMA " + want.attribute("schema") + ";");
                }
                yield true;
            }
            case ENUM -> alterEnum(want, have, statements);
            default -> false;
        };
        if (changes.containsKey("owner") && want.attribute("owner") != null) {
            statements.add("ALTER " + ownerKeyword(want) + " " + want.name() + " OWNER TO " + want.attribute("owner") + ";");
        }
        boolean grantsDiffer = changes.containsKey("grants");
        String note;
        if (!complete) {
            note = "no safe SQL for every change; compare the attributes and write a migration";
        } else if (grantsDiffer) {
            note = "grants differ: expected [" + changes.get("grants").expected() + "], actual [" + changes.get("grants").actual() + "]";
        } else {
            note = "differs from the expected schema";
        }
        String sql = statements.isEmpty() ? null : String.join("\n", statements);
        return new SchemaDifference(want.kind().label(), want.name(), Change.CHANGED, changes, complete ? sql : null, note);
    }

    /**
     * A view whose definition changed: dropped with everything that depends on it and created again, then the views
     * that depended on it, in dependency order ({@code CREATE OR REPLACE VIEW} refuses a changed column list).
     */
    static SchemaDifference changedView(DbObject want, Map<String, ValueChange> changes, List<DbObject> dependants) {
        List<String> statements = new ArrayList<>();
        statements.add("DROP VIEW " + want.name() + " CASCADE;");
        statements.add(create(want));
        for (DbObject dependant : dependants) {
            statements.add(create(dependant));
        }
        boolean complete = changes.keySet().stream().allMatch(key -> key.equals("definition") || key.equals("options")
                || key.equals("owner"));
        String note = !complete ? "no safe SQL for every change; compare the attributes and write a migration"
                : dependants.isEmpty() ? "differs from the expected schema; dropped and created again"
                : "differs from the expected schema; dropped and created again with "
                        + dependants.stream().map(DbObject::name).collect(java.util.stream.Collectors.joining(", "));
        return new SchemaDifference(want.kind().label(), want.name(), Change.CHANGED, changes,
                complete ? String.join("\n", statements) : null, note);
    }

    /** {@code a=1, b=2} → {@code a, b}. */
    private static String optionNames(String options) {
        return java.util.Arrays.stream(options.split(",\\s*")).map(option -> option.split("=", 2)[0])
                .collect(java.util.stream.Collectors.joining(", "));
    }

    private static String create(DbObject want) {
        String table = want.attribute("table");
        return switch (want.kind()) {
            case SCHEMA -> "CREATE SCHEMA " + want.name() + ";";
            case EXTENSION -> "CREATE EXTENSION IF NOT EXISTS " + want.name() + " WITH SCHEMA " + want.attribute("schema")
                    + " VERSION " + literal(want.attribute("version")) + ";";
            case ENUM -> "CREATE TYPE " + want.name() + " AS ENUM (" + want.attribute("labels") + ");";
            case COMPOSITE_TYPE -> "CREATE TYPE " + want.name() + " AS (" + want.attribute("attributes") + ");";
            case DOMAIN -> "CREATE DOMAIN " + want.name() + " AS " + want.attribute("baseType")
                    + (want.attribute("default") != null ? " DEFAULT " + want.attribute("default") : "")
                    + ("true".equals(want.attribute("notNull")) ? " NOT NULL" : "")
                    + (want.attribute("constraints") != null ? " " + want.attribute("constraints") : "") + ";";
            case SEQUENCE -> sequenceOptions("CREATE SEQUENCE " + want.name(), want) + ownedBy(want) + ";";
            case TABLE -> throw new IllegalStateException("tables are created with their columns");
            case COLUMN -> "ALTER TABLE " + table + " ADD COLUMN " + want.attribute("column") + " " + columnSpec(want) + ";";
            case CONSTRAINT -> "ALTER TABLE " + table + " ADD CONSTRAINT " + want.attribute("constraint") + " "
                    + want.attribute("definition") + ";";
            case INDEX -> want.attribute("constraint") != null ? null
                    : want.attribute("definition").replaceFirst("^CREATE (UNIQUE )?INDEX ", "CREATE $1INDEX CONCURRENTLY ") + ";";
            case FUNCTION, TRIGGER -> body(want.attribute("definition")) + ";";
            case VIEW -> "CREATE VIEW " + want.name() + " AS\n" + body(want.attribute("definition")) + ";";
            case MATERIALIZED_VIEW -> "CREATE MATERIALIZED VIEW " + want.name() + " AS\n" + body(want.attribute("definition")) + ";";
            case POLICY -> "CREATE POLICY " + want.attribute("policy") + " ON " + table + " AS " + want.attribute("permissive")
                    + " FOR " + want.attribute("command") + " TO " + want.attribute("roles")
                    + (want.attribute("using") != null ? " USING (" + want.attribute("using") + ")" : "")
                    + (want.attribute("withCheck") != null ? " WITH CHECK (" + want.attribute("withCheck") + ")" : "") + ";";
        };
    }

    private static String createTable(DbObject want, Snapshot expected) {
        List<String> columns = new ArrayList<>();
        List<String> ownedSequences = new ArrayList<>();
        for (DbObject object : expected.objects()) {
            if (object.kind() == ObjectKind.COLUMN && want.name().equals(object.attribute("table"))) {
                columns.add(object.attribute("column") + " " + columnSpec(object));
            }
            if (object.kind() == ObjectKind.SEQUENCE && object.attribute("ownedBy") != null && want.name().equals(owningTable(object))) {
                ownedSequences.add("ALTER SEQUENCE " + object.name() + " OWNED BY " + object.attribute("ownedBy") + ";");
            }
        }
        StringBuilder sql = new StringBuilder("CREATE ");
        if ("true".equals(want.attribute("unlogged"))) {
            sql.append("UNLOGGED ");
        }
        sql.append("TABLE ").append(want.name());
        if (want.attribute("partitionOf") != null) {
            sql.append(" PARTITION OF ").append(want.attribute("partitionOf")).append(' ').append(want.attribute("partitionBound"));
        } else {
            sql.append(" (").append(String.join(", ", columns)).append(')');
        }
        if (want.attribute("partitionKey") != null) {
            sql.append(" PARTITION BY ").append(want.attribute("partitionKey"));
        }
        if (want.attribute("options") != null) {
            sql.append(" WITH (").append(want.attribute("options")).append(')');
        }
        sql.append(';');
        if (want.attribute("rowSecurity") != null) {
            sql.append("\nALTER TABLE ").append(want.name()).append(" ENABLE ROW LEVEL SECURITY;");
            if (want.attribute("rowSecurity").equals("forced")) {
                sql.append("\nALTER TABLE ").append(want.name()).append(" FORCE ROW LEVEL SECURITY;");
            }
        }
        ownedSequences.forEach(statement -> sql.append('\n').append(statement));
        return sql.toString();
    }

    private static String columnSpec(DbObject column) {
        StringBuilder spec = new StringBuilder(column.attribute("type"));
        if (column.attribute("collation") != null) {
            spec.append(" COLLATE ").append(column.attribute("collation"));
        }
        if (column.attribute("generated") != null) {
            spec.append(" GENERATED ALWAYS AS (").append(column.attribute("generated")).append(") STORED");
        } else if (column.attribute("default") != null) {
            spec.append(" DEFAULT ").append(column.attribute("default"));
        }
        if (column.attribute("identity") != null) {
            spec.append(" GENERATED ").append(column.attribute("identity").toUpperCase()).append(" AS IDENTITY");
        }
        if ("true".equals(column.attribute("notNull"))) {
            spec.append(" NOT NULL");
        }
        return spec.toString();
    }

    private static boolean alterColumn(DbObject want, Map<String, ValueChange> changes, List<String> out) {
        String prefix = "ALTER TABLE " + want.attribute("table") + " ALTER COLUMN " + want.attribute("column") + " ";
        boolean complete = true;
        for (String attribute : changes.keySet()) {
            switch (attribute) {
                case "type", "collation" -> {
                    String statement = prefix + "TYPE " + want.attribute("type")
                            + (want.attribute("collation") != null ? " COLLATE " + want.attribute("collation") : "") + ";";
                    if (!out.contains(statement)) {
                        out.add(statement);
                    }
                }
                case "default" -> out.add(want.attribute("default") == null ? prefix + "DROP DEFAULT;"
                        : prefix + "SET DEFAULT " + want.attribute("default") + ";");
                case "notNull" -> out.add(prefix + ("true".equals(want.attribute("notNull")) ? "SET" : "DROP") + " NOT NULL;");
                case "identity" -> out.add(want.attribute("identity") == null ? prefix + "DROP IDENTITY;"
                        : changes.get("identity").actual() == null
                                ? prefix + "ADD GENERATED " + want.attribute("identity").toUpperCase() + " AS IDENTITY;"
                                : prefix + "SET GENERATED " + want.attribute("identity").toUpperCase() + ";");
                default -> complete = false;
            }
        }
        return complete;
    }

    private static boolean alterTable(DbObject want, Map<String, ValueChange> changes, List<String> out) {
        boolean complete = true;
        for (String attribute : changes.keySet()) {
            switch (attribute) {
                case "rowSecurity" -> {
                    String wanted = want.attribute("rowSecurity");
                    out.add("ALTER TABLE " + want.name() + (wanted == null ? " DISABLE" : " ENABLE") + " ROW LEVEL SECURITY;");
                    out.add("ALTER TABLE " + want.name() + ("forced".equals(wanted) ? " FORCE" : " NO FORCE") + " ROW LEVEL SECURITY;");
                }
                case "unlogged" -> out.add("ALTER TABLE " + want.name() + ("true".equals(want.attribute("unlogged"))
                        ? " SET UNLOGGED;" : " SET LOGGED;"));
                case "owner", "grants" -> { }
                default -> complete = false;
            }
        }
        return complete;
    }

    private static boolean alterEnum(DbObject want, DbObject have, List<String> out) {
        List<String> wanted = Arrays.asList(want.attribute("labels").split(", "));
        List<String> present = Arrays.asList(have.attribute("labels").split(", "));
        if (!wanted.containsAll(present)) {
            return false;
        }
        for (int i = 0; i < wanted.size(); i++) {
            if (!present.contains(wanted.get(i))) {
                out.add("ALTER TYPE " + want.name() + " ADD VALUE " + wanted.get(i)
                        + (i == 0 ? "" : " AFTER " + wanted.get(i - 1)) + ";");
            }
        }
        return true;
    }

    private static String sequenceOptions(String head, DbObject sequence) {
        return head + " AS " + sequence.attribute("type") + " INCREMENT BY " + sequence.attribute("increment")
                + " MINVALUE " + sequence.attribute("min") + " MAXVALUE " + sequence.attribute("max")
                + " START WITH " + sequence.attribute("start") + " CACHE " + sequence.attribute("cache")
                + ("true".equals(sequence.attribute("cycle")) ? " CYCLE" : " NO CYCLE");
    }

    private static String ownedBy(DbObject sequence) {
        return sequence.attribute("ownedBy") != null ? " OWNED BY " + sequence.attribute("ownedBy") : " OWNED BY NONE";
    }

    private static String ownerKeyword(DbObject object) {
        return switch (object.kind()) {
            case FUNCTION -> object.attribute("kind").toUpperCase();
            case MATERIALIZED_VIEW -> "MATERIALIZED VIEW";
            case COMPOSITE_TYPE, ENUM -> "TYPE";
            default -> object.kind().name();
        };
    }

    /** A deparsed definition without its trailing semicolon and whitespace. */
    private static String body(String definition) {
        String trimmed = definition.strip();
        return trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
