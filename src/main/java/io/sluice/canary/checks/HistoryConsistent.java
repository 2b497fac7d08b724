package io.sluice.canary.checks;

import java.sql.SQLException;

import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryContext;
import io.sluice.canary.Row;
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
        // The schema is a validated identifier, quoted: never event text in the statement.
        Row row = Row.of(context.connection(), "SELECT count(*), string_agg(script, ', ') FROM " + context.schema().quoted()
                + "." + FlywaySetup.HISTORY_TABLE + " WHERE NOT success");
        double failed = row.number(1);
        return failed == 0
                ? new CanarySignal(id(), CanarySignal.Status.OK, 0.0, "count", 0.0, null, "no failed script in the history")
                : new CanarySignal(id(), CanarySignal.Status.FAILED, failed, "count", 0.0, null,
                        "failed script(s) in the history: " + row.text(2));
    }
}
