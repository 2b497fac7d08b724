package io.sluice.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.sluice.error.InvalidRequest;
import io.sluice.event.FileLocation;
import io.sluice.files.FileRoots;
import io.sluice.event.Finding;
import io.sluice.event.Finding.Severity;
import io.sluice.event.FindingCode;
import io.sluice.event.SchemaName;

/**
 * What an application expects of the schema, as the guide's contract test states it: tables, their columns and
 * the columns' types. File format: {@code {"tables": {"orders": {"id": "bigint", "status": "text", "note": "*"}}}};
 * a table name without a schema is in the managed schema, {@code "*"} accepts any type, and common type aliases
 * ({@code int}, {@code varchar(20)}, {@code timestamptz}) are understood.
 */
public final class Contract {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLAIN_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_$]*");
    private static final Map<String, String> ALIASES = Map.ofEntries(
            Map.entry("int", "integer"), Map.entry("int4", "integer"), Map.entry("int8", "bigint"), Map.entry("int2", "smallint"),
            Map.entry("bool", "boolean"), Map.entry("float8", "double precision"), Map.entry("float4", "real"),
            Map.entry("timestamptz", "timestamp with time zone"), Map.entry("timestamp", "timestamp without time zone"),
            Map.entry("timetz", "time with time zone"), Map.entry("time", "time without time zone"),
            Map.entry("decimal", "numeric"), Map.entry("serial", "integer"), Map.entry("bigserial", "bigint"));

    private final FileLocation location;
    private final Map<String, Map<String, String>> tables;

    private Contract(FileLocation location, Map<String, Map<String, String>> tables) {
        this.location = location;
        this.tables = tables;
    }

    /** Reads the contract file; a {@code filesystem:} location must lie under {@code roots}. */
    public static Contract load(FileLocation location, FileRoots roots) {
        try (InputStream in = open(location, roots)) {
            Map<String, Map<String, Map<String, String>>> root = JSON.readValue(in, new TypeReference<>() { });
            Map<String, Map<String, String>> tables = root.get("tables");
            if (tables == null || root.size() != 1) {
                throw new InvalidRequest("field 'contract': " + location
                        + " must be {\"tables\": {\"<table>\": {\"<column>\": \"<type>\"}}}");
            }
            return new Contract(location, new LinkedHashMap<>(tables));
        } catch (JsonProcessingException e) {
            // Jackson quotes the offending token: never echo a file's contents, only where it went wrong.
            throw new InvalidRequest("field 'contract': " + location + " is not a JSON contract (error at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")", e);
        } catch (IOException e) {
            throw new InvalidRequest("field 'contract': " + location + " cannot be read (" + e.getClass().getSimpleName() + ")",
                    e);
        }
    }

    private static InputStream open(FileLocation location, FileRoots roots) throws IOException {
        if (!location.classpath()) {
            return Files.newInputStream(roots.file(location.path(), "contract"));
        }
        InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(location.path());
        if (in == null) {
            throw new InvalidRequest("field 'contract': " + location + " does not exist in this function");
        }
        return in;
    }

    /** Every way {@code live} breaks the contract; the schema of unqualified table names is {@code schema}. */
    public List<Finding> check(Snapshot live, SchemaName schema) {
        List<Finding> findings = new ArrayList<>();
        for (Map.Entry<String, Map<String, String>> table : tables.entrySet()) {
            String name = qualified(table.getKey(), schema);
            if (live.find(ObjectKind.TABLE, name) == null) {
                findings.add(violation(name, "table " + name + " is missing (contract " + location + ")", "table", "missing"));
                continue;
            }
            for (Map.Entry<String, String> column : table.getValue().entrySet()) {
                DbObject actual = live.find(ObjectKind.COLUMN, name + "." + quote(column.getKey()));
                String expected = column.getValue();
                if (actual == null) {
                    findings.add(violation(name, "column " + name + "." + column.getKey() + " is missing", expected, "missing"));
                } else if (!expected.equals("*") && !normalise(expected).equals(normalise(actual.attribute("type")))) {
                    findings.add(violation(name, "column " + name + "." + column.getKey() + " has type " + actual.attribute("type")
                            + ", the contract expects " + expected, expected, actual.attribute("type")));
                }
            }
            for (DbObject column : live.objects()) {
                if (column.kind() == ObjectKind.COLUMN && name.equals(column.attribute("table"))
                        && table.getValue().keySet().stream().noneMatch(listed -> quote(listed).equals(column.attribute("column")))) {
                    findings.add(new Finding(Severity.WARNING, FindingCode.CONTRACT_EXTRA_COLUMN, null, null,
                            "column " + column.name() + " is not in the contract " + location, null, column.attribute("type")));
                }
            }
        }
        return findings;
    }

    private static Finding violation(String table, String message, String expected, String actual) {
        return new Finding(Severity.ERROR, FindingCode.CONTRACT_VIOLATION, null, null, message, expected, actual);
    }

    private static String qualified(String table, SchemaName schema) {
        int dot = table.indexOf('.');
        return dot < 0 ? quote(schema.value()) + "." + quote(table) : quote(table.substring(0, dot)) + "." + quote(table.substring(dot + 1));
    }

    /** An identifier as {@code quote_ident} renders it (close enough for names a contract uses). */
    private static String quote(String identifier) {
        return PLAIN_IDENTIFIER.matcher(identifier).matches() ? identifier : '"' + identifier.replace("\"", "\"\"") + '"';
    }

    static String normalise(String type) {
        String text = type.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
        String base = text.replaceAll("\\(.*", "");
        String modifier = text.substring(base.length());
        if (base.equals("varchar")) {
            base = "character varying";
        } else if (base.equals("char")) {
            base = "character";
        }
        return ALIASES.getOrDefault(base, base) + modifier.replace(" ", "");
    }
}
