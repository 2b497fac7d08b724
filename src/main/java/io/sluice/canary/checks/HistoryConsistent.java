package io.sluice.canary.checks;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryContext;
import io.sluice.event.CanarySignal;
import io.sluice.migration.CatalogQueries;
import io.sluice.migration.FlywaySetup;

/** The migration history records no failed script: a release whose migration half-failed is not healthy. */
public final class HistoryConsistent implements CanaryCheck {

    @Override
    public String id() {
        return "history";
    }

    @Override
    public CanarySignal run(CanaryContext context) throws SQLException {
        if (!CatalogQueries.tableExists(context.connection(), context.schema().value(), FlywaySetup.HISTORY_TABLE)) {
            return CanarySignal.skipped(id(), "schema " + context.schema() + " has no migration history");
        }
        try (Statement statement = context.connection().createStatement();
                ResultSet rs = statement.executeQuery("SELECT count(*), string_agg(script, ', ') FROM " + context.schema().quoted()
                        + "." + FlywaySetup.HISTORY_TABLE + " WHERE NOT success")) {
            rs.next();
            int failed = rs.getInt(1);
            return failed == 0
                    ? new CanarySignal(id(), CanarySignal.Status.OK, 0.0, "count", 0.0, null, "no failed script in the history")
                    : new CanarySignal(id(), CanarySignal.Status.FAILED, (double) failed, "count", 0.0, null,
                            "failed script(s) in the history: " + rs.getString(2));
        }
    }
}
