package io.sluice.canary.checks;

import java.sql.SQLException;

import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryContext;
import io.sluice.canary.Row;
import io.sluice.event.CanarySignal;

/**
 * The oldest open transaction of the database (other than this check's): it holds locks, blocks vacuum and, behind a
 * migration's lock request, stalls every query.
 */
public final class OldestTransaction implements CanaryCheck {

    @Override
    public String id() {
        return "oldest-transaction";
    }

    @Override
    public CanarySignal run(CanaryContext context) throws SQLException {
        Row row = Row.of(context.connection(), "SELECT coalesce(max(extract(epoch FROM clock_timestamp() - xact_start) * 1000), 0)"
                + " FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
                + " AND xact_start IS NOT NULL AND backend_type = 'client backend'");
        return CanarySignal.measured(id(), row.number(1), "ms", context.limits().maxTransactionAgeMs(), null,
                "oldest open transaction");
    }
}
