package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code ban-drop-table}: Dropping a table loses its data. */
public final class BanDropTable extends BaseRule {

    private static final Pattern DROP_TABLE = regex("^DROP TABLE (?:IF EXISTS )?(.+?)(?: CASCADE| RESTRICT)?$");

    public BanDropTable() {
        super("ban-drop-table", LintSeverity.ERROR,
                "Dropping a table loses its data.",
                "DROP TABLE removes every row for good; the running application may still use the table.",
                "Rename it aside or stop using it first, keep a backup, and drop it in a later release.");
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        var drop = DROP_TABLE.matcher(statement.shape());
        if (!drop.find()) {
            return List.of();
        }
        // A table the script created itself holds nothing anyone relies on yet.
        return java.util.Arrays.stream(drop.group(1).split(" ?, ?")).filter(table -> !context.createdEarlier(table))
                .map(table -> "table " + table.toLowerCase() + " is dropped with its data").toList();
    }
}
