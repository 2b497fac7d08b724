package io.sluice.canary.checks;

import java.sql.SQLException;

import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryContext;
import io.sluice.canary.Row;
import io.sluice.event.CanarySignal;

/** Client connections in use as a share of {@code max_connections}: a leak in the new release fills them up. */
public final class ConnectionUsage implements CanaryCheck {

    @Override
    public String id() {
        return "connection-usage";
    }

    @Override
    public CanarySignal run(CanaryContext context) throws SQLException {
        Row row = Row.of(context.connection(), "SELECT count(*) FILTER (WHERE backend_type = 'client backend'),"
                + " current_setting('max_connections')::int FROM pg_stat_activity");
        long used = (long) row.number(1);
        long max = (long) row.number(2);
        return CanarySignal.measured(id(), (double) used / max, "ratio", context.limits().maxConnectionShare(), null,
                used + " of max_connections " + max + " in use");
    }
}
