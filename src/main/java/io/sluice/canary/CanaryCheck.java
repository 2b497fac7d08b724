package io.sluice.canary;

import java.sql.SQLException;

import io.sluice.event.CanarySignal;

/** One health signal of a canary stage, in the shape of a lint rule: an id, and a run that reads the database. */
public interface CanaryCheck {

    /** The check's id, e.g. {@code error-rate}: what the result and the alerts name. */
    String id();

    CanarySignal run(CanaryContext context) throws SQLException;
}
