package io.sluice.backfill;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.error.ValidationFailed;
import io.sluice.migration.Script;
import io.sluice.sql.SqlStatement;
import io.sluice.sql.SqlText;

/**
 * A batched data migration, declared in an ordinary versioned SQL script by a header line:
 *
 * <pre>
 * -- sluice:batch table=orders key=id size=5000
 * UPDATE orders SET total_cents = round(total * 100) WHERE id &gt; :lo AND id &lt;= :hi AND total_cents IS NULL;
 * </pre>
 *
 * The script holds one data statement (UPDATE, DELETE, INSERT or WITH ... of them) that uses the batch's bounds
 * {@code :lo} and {@code :hi} on {@code key}, an integer column of {@code table} with an index (its primary key,
 * usually). Sluice runs the statement once per key range, each in its own transaction.
 *
 * @param table     the table the batches walk (optionally schema-qualified)
 * @param key       its integer key column
 * @param size      keys per batch at the start; adapted to the target batch duration as it goes
 * @param statement the statement, with {@code :lo} and {@code :hi} still in it
 */
public record BatchSpec(String table, String key, int size, String statement) {

    static final int MAX_SIZE = 1_000_000;
    private static final Pattern OPTION = Pattern.compile("([a-z]+)=(\\S+)");
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_$]*(\\.[a-z_][a-z0-9_$]*)?");
    private static final List<String> DATA_STATEMENTS = List.of("UPDATE ", "DELETE ", "INSERT ", "WITH ");

    /** The script's batch declaration, or empty when it has none; a malformed one is a {@link ValidationFailed}. */
    public static Optional<BatchSpec> of(Script script) {
        Matcher header = Script.BATCH_HEADER.matcher(script.content());
        if (!header.find()) {
            return Optional.empty();
        }
        String where = script.path() + ": the sluice:batch header ";
        Map<String, String> options = new java.util.LinkedHashMap<>();
        Matcher option = OPTION.matcher(header.group(1));
        int matched = 0;
        while (option.find()) {
            options.put(option.group(1), option.group(2));
            matched += option.group().length();
        }
        if (matched != header.group(1).replaceAll("\\s+", "").length()) {
            throw new ValidationFailed(where + "takes name=value options only: table=, key=, size=");
        }
        for (String name : options.keySet()) {
            if (!List.of("table", "key", "size").contains(name)) {
                throw new ValidationFailed(where + "has an unknown option '" + name + "'; it takes table=, key=, size=");
            }
        }
        String table = options.get("table");
        String key = options.get("key");
        if (table == null || key == null || !NAME.matcher(table).matches() || key.contains(".") || !NAME.matcher(key).matches()) {
            throw new ValidationFailed(where + "needs table=NAME (or schema.name) and key=COLUMN, lower-case unquoted names");
        }
        int size;
        try {
            size = Integer.parseInt(options.getOrDefault("size", "1000"));
        } catch (NumberFormatException e) {
            size = -1;
        }
        if (size < 1 || size > MAX_SIZE) {
            throw new ValidationFailed(where + "has size=" + options.get("size") + "; it must be 1-" + MAX_SIZE);
        }
        List<SqlStatement> statements = SqlText.split(script.content());
        if (statements.size() != 1) {
            throw new ValidationFailed(script.path() + " is a batched script and must hold exactly one statement, not "
                    + statements.size() + " (a schema change goes in a script of its own, before it)");
        }
        String statement = statements.get(0).text();
        String shape = SqlText.shape(statement) + " ";
        if (DATA_STATEMENTS.stream().noneMatch(shape::startsWith)) {
            throw new ValidationFailed(script.path() + " is a batched script: its statement must be an UPDATE, DELETE, INSERT or WITH"
                    + " of them, not " + shape.split(" ")[0]);
        }
        List<String> parameters = SqlText.parameters(statement);
        if (!parameters.contains("lo") || !parameters.contains("hi") || parameters.stream().anyMatch(p -> !p.equals("lo") && !p.equals("hi"))) {
            throw new ValidationFailed(script.path() + " is a batched script: its statement must use :lo and :hi (the batch's key"
                    + " range, e.g. WHERE " + key + " > :lo AND " + key + " <= :hi) and no other parameter; found "
                    + (parameters.isEmpty() ? "none" : String.join(", ", parameters.stream().map(p -> ":" + p).toList())));
        }
        return Optional.of(new BatchSpec(table.toLowerCase(Locale.ROOT), key, size, statement));
    }

    /** The statement for the keys in {@code (lo, hi]}. */
    public String forRange(long lo, long hi) {
        return SqlText.bind(statement, Map.of("lo", Long.toString(lo), "hi", Long.toString(hi)));
    }
}
