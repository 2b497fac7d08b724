package io.sluice.lint.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.ColumnDefinitions;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/**
 * {@code ADD COLUMN ... DEFAULT f(...)} on an existing table, when {@code f} may be volatile. PostgreSQL 11+ stores a
 * non-volatile default once and leaves the rows alone; a volatile one is computed per row, rewriting the table. A
 * function PostgreSQL ships as immutable or stable passes; any other (a user's function is VOLATILE unless declared
 * otherwise) is reported, naming it.
 */
public final class AddingFieldWithVolatileDefault extends BaseRule {

    private static final Pattern ADD_COLUMN = regex("^ADD (?:COLUMN )?(?:IF NOT EXISTS )?(\\S+) .*\\bDEFAULT (.+)$");
    /** A serial type's default is nextval(); an identity column is filled from its sequence: both per row. */
    private static final Pattern ADD_SEQUENCED = regex("^ADD (?:COLUMN )?(?:IF NOT EXISTS )?(\\S+) (?:(SMALLSERIAL|SERIAL2|SERIAL4|SERIAL8|SERIAL|BIGSERIAL)\\b|.*\\b(GENERATED (?:ALWAYS|BY DEFAULT) AS IDENTITY)\\b)");
    /** Where a column definition's default ends and its constraints begin. */
    private static final Pattern CONSTRAINTS = regex(" (NOT NULL|NULL|REFERENCES|CHECK|UNIQUE|PRIMARY KEY|CONSTRAINT|COLLATE|GENERATED)\\b");
    private static final Pattern CALL = regex("([A-Z_][A-Z0-9_$]*(?:\\.[A-Z_][A-Z0-9_$]*)?) ?\\(");
    /** Built-in functions PostgreSQL declares immutable or stable, as defaults use them. */
    private static final Set<String> NON_VOLATILE = Set.of("NOW", "TRANSACTION_TIMESTAMP", "STATEMENT_TIMESTAMP", "CURRENT_SETTING",
            "LOWER", "UPPER", "TRIM", "BTRIM", "LTRIM", "RTRIM", "COALESCE", "NULLIF", "GREATEST", "LEAST", "CONCAT", "CONCAT_WS",
            "SUBSTRING", "SUBSTR", "LEFT", "RIGHT", "LENGTH", "REPLACE", "FORMAT", "MD5", "ABS", "ROUND", "FLOOR", "CEIL",
            "MAKE_INTERVAL", "MAKE_DATE", "MAKE_TIMESTAMP", "MAKE_TIMESTAMPTZ", "DATE_TRUNC", "TO_TIMESTAMP", "TO_DATE", "TO_CHAR",
            "JSONB_BUILD_OBJECT", "JSON_BUILD_OBJECT", "JSONB_BUILD_ARRAY", "JSON_BUILD_ARRAY", "TO_JSONB", "TO_JSON", "ARRAY",
            "ROW", "CAST", "INTERVAL", "NUMERIC", "DECIMAL", "VARCHAR", "CHAR", "TIMESTAMP", "TIMESTAMPTZ", "TIME", "BIT");

    public AddingFieldWithVolatileDefault() {
        super("adding-field-with-volatile-default", LintSeverity.ERROR,
                "Adding a column with a volatile default rewrites the table.",
                "PostgreSQL 11+ adds a column with a non-volatile default without touching rows, but a volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval(), and any user function not declared STABLE or IMMUTABLE) is computed per row: the whole table is rewritten under an ACCESS EXCLUSIVE lock.",
                "Add the column without a default (or with a constant one), set the default in a second statement, and backfill existing rows in batches.");
    }

    @Override
    public Premise premise() {
        return Premise.REWRITE;
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        return messages(statement, context);
    }

    /** One finding per added column, on the line of its ADD. */
    @Override
    public List<Problem> problems(LintStatement statement, LintContext context) {
        if (!altersExistingTable(statement, context)) {
            return List.of();
        }
        List<Problem> problems = new ArrayList<>();
        for (String clause : ColumnDefinitions.clauses(statement)) {
            Matcher sequenced = ADD_SEQUENCED.matcher(clause);
            if (sequenced.find()) {
                String how = sequenced.group(2) != null ? "its " + sequenced.group(2).toLowerCase() + " default calls nextval()"
                        : "it is filled from its identity sequence";
                problems.add(new Problem(lineOf(statement, "ADD\\s+(?:COLUMN\\s+)?", sequenced.group(1)), "column "
                        + sequenced.group(1).toLowerCase() + " gets a value per row (" + how + "): " + alteredTable(statement).toLowerCase()
                        + " is rewritten"));
                continue;
            }
            Matcher add = ADD_COLUMN.matcher(clause);
            if (!add.find()) {
                continue;
            }
            String expression = add.group(2);
            Matcher end = CONSTRAINTS.matcher(expression);
            Matcher call = CALL.matcher(end.find() ? expression.substring(0, end.start()) : expression);
            while (call.find()) {
                String function = call.group(1);
                String bare = function.substring(function.lastIndexOf('.') + 1);
                if (!NON_VOLATILE.contains(bare)) {
                    problems.add(new Problem(lineOf(statement, "ADD\\s+(?:COLUMN\\s+)?", add.group(1)), "the default of "
                            + add.group(1).toLowerCase() + " calls " + function.toLowerCase() + "(), which PostgreSQL treats as volatile"
                            + " unless it is declared otherwise: " + alteredTable(statement).toLowerCase() + " is rewritten"));
                    break;
                }
            }
        }
        return problems;
    }
}
