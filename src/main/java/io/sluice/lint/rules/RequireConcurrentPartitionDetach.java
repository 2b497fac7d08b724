package io.sluice.lint.rules;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sluice.lint.BaseRule;
import io.sluice.lint.LintContext;
import io.sluice.lint.LintSeverity;
import io.sluice.lint.LintStatement;

/** {@code DETACH PARTITION} without {@code CONCURRENTLY} (or {@code FINALIZE}) on an existing partitioned table. */
public final class RequireConcurrentPartitionDetach extends BaseRule {

    private static final Pattern DETACH = regex("\\bDETACH PARTITION (\\S+)(?! CONCURRENTLY| FINALIZE)(?: |$)");

    public RequireConcurrentPartitionDetach() {
        super("require-concurrent-partition-detach", LintSeverity.ERROR,
                "DETACH PARTITION without CONCURRENTLY blocks the whole partitioned table.",
                "A plain DETACH PARTITION takes ACCESS EXCLUSIVE on the partitioned table: every read and write of every partition waits while it runs and while it waits for the lock.",
                "DETACH PARTITION ... CONCURRENTLY (PostgreSQL 14+; Sluice runs such a script outside a transaction), FINALIZE if it was interrupted.");
    }

    @Override
    public Premise premise() {
        return Premise.LOCK;
    }

    @Override
    public List<String> check(LintStatement statement, LintContext context) {
        Matcher detach = DETACH.matcher(statement.shape());
        if (!altersExistingTable(statement, context) || !detach.find()) {
            return List.of();
        }
        return List.of("partition " + detach.group(1).toLowerCase() + " is detached from " + alteredTable(statement).toLowerCase()
                + " without CONCURRENTLY");
    }
}
