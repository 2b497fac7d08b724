package io.sluice.canary.checks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryContext;
import io.sluice.event.CanarySignal;

/** Client connections in use as a share of {@code max_connections}: a leak in the new release fills them up. */
public final class ConnectionUsage implements CanaryCheck {

    @Override
    public String id() {
        return "connection-usage";
    }

    @Override
    public CanarySignal run(CanaryContext context) throws SQLException {
        try (Statement statement = context.connection().createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*) FILTER (WHERE backend_type = 'client backend'),"
                        + " current_setting('max_connections')::int FROM pg_stat_activity")) {
            rs.next();
            int used = rs.getInt(1);
            int max = rs.getInt(2);
            return CanarySignal.measured(id(), (double) used / max, "ratio", context.limits().maxConnectionShare(), null,
                    used + " of max_connections " + max + " in use");
        }
    }
}
