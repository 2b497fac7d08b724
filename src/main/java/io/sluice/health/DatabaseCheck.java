package io.sluice.health;

import java.sql.SQLException;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.sluice.error.Echo;

/**
 * What every check of the database does around its query: it reads the current call's database, reports DOWN
 * without asking anything when that database could not be reached, and turns a failed query into DOWN with the
 * SQLSTATE (never the server's text, which may quote data).
 */
public abstract class DatabaseCheck implements HealthCheck {

    /** The check's name in the health document, and the canary signal's id. */
    public abstract String name();

    /** Reads the database; UP or DOWN with the check's data. */
    protected abstract HealthCheckResponse check(CheckedDatabase database, HealthCheckResponseBuilder response) throws SQLException;

    /** The answer when the database could not be reached: DOWN, not checked. */
    protected HealthCheckResponse unreachable(CheckedDatabase database, HealthCheckResponseBuilder response) {
        return response.down().withData("reason", "not checked: the database could not be reached").build();
    }

    @Override
    public final HealthCheckResponse call() {
        CheckedDatabase database = CheckedDatabase.current();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(name());
        if (!database.reachable()) {
            return unreachable(database, response);
        }
        try {
            return check(database, response);
        } catch (SQLException e) {
            return response.down().withData("reason", "the check's query failed: SQLSTATE " + Echo.value(e.getSQLState())).build();
        }
    }
}
