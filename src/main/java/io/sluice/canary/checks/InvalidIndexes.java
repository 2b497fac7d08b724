package io.sluice.canary.checks;

import java.sql.SQLException;
import java.util.List;

import io.sluice.canary.CanaryCheck;
import io.sluice.canary.CanaryContext;
import io.sluice.event.CanarySignal;
import io.sluice.migration.InvalidIndex;

/** INVALID indexes in the managed schema: a concurrent build of the release that did not finish. */
public final class InvalidIndexes implements CanaryCheck {

    @Override
    public String id() {
        return "invalid-indexes";
    }

    @Override
    public CanarySignal run(CanaryContext context) throws SQLException {
        List<InvalidIndex> invalid = InvalidIndex.in(context.connection(), context.schema().value());
        if (invalid.isEmpty()) {
            return new CanarySignal(id(), CanarySignal.Status.OK, 0.0, "count", 0.0, null, "no INVALID index");
        }
        return new CanarySignal(id(), CanarySignal.Status.FAILED, (double) invalid.size(), "count", 0.0, null,
                InvalidIndex.describe(invalid));
    }
}
