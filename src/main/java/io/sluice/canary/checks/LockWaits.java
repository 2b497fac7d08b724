package io.sluice.canary.checks;

import java.sql.SQLException;

import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryContext;
import io.sluice.canary.Row;
import io.sluice.event.CanarySignal;

/** Sessions waiting for a lock now, and the longest such wait: a migration or a new query pattern that blocks others. */
public final class LockWaits implements CanaryCheck {

    @Override
    public String id() {
        return "lock-waits";
    }

    @Override
    public CanarySignal run(CanaryContext context) throws SQLException {
        Row row = Row.of(context.connection(), "SELECT count(*), coalesce(max(extract(epoch FROM clock_timestamp() - l.waitstart)"
                + " * 1000), 0) FROM pg_locks l WHERE NOT l.granted AND l.waitstart IS NOT NULL"
                + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        return CanarySignal.measured(id(), row.number(2), "ms", context.limits().maxLockWaitMs(), null,
                (long) row.number(1) + " lock wait(s), the longest");
    }
}
