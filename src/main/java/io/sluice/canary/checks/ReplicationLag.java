package io.sluice.canary.checks;

import java.sql.SQLException;

import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryContext;
import io.sluice.canary.Row;
import io.sluice.event.CanarySignal;

/** The largest replay lag of the server's replicas ({@code pg_stat_replication}); skipped on a server without any. */
public final class ReplicationLag implements CanaryCheck {

    @Override
    public String id() {
        return "replication-lag";
    }

    @Override
    public CanarySignal run(CanaryContext context) throws SQLException {
        Row row = Row.of(context.connection(), "SELECT count(*), coalesce(max(extract(epoch FROM replay_lag) * 1000), 0)"
                + " FROM pg_stat_replication");
        if (row.number(1) == 0) {
            return CanarySignal.skipped(id(), "the server has no replicas");
        }
        return CanarySignal.measured(id(), row.number(2), "ms", context.limits().maxReplicationLagMs(), null,
                (long) row.number(1) + " replica(s), the largest replay lag");
    }
}
