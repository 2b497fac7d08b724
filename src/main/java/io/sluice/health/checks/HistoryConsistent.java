package io.sluice.health.checks;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.sluice.health.CheckedDatabase;
import io.sluice.health.DatabaseCheck;
import io.sluice.migration.FlywaySetup;

/**
 * {@code history}: the migration history records no failed script (a release whose migration half-failed is not
 * ready). Data: the current version and the failed scripts; a schema without history is UP with
 * {@code history: none}.
 */
@Readiness
@ApplicationScoped
public class HistoryConsistent extends DatabaseCheck {

    private static final String UNDEFINED_TABLE = "42P01";

    @Override
    public String name() {
        return "history";
    }

    @Override
    protected HealthCheckResponse check(CheckedDatabase database, HealthCheckResponseBuilder response) throws SQLException {
        response.withData("schema", database.schema().value());
        // One round trip: the history is read, and a schema without one answers 42P01 (undefined_table).
        try (PreparedStatement statement = database.connection().prepareStatement("SELECT count(*) FILTER (WHERE NOT success),"
                + " string_agg(script, ', ' ORDER BY installed_rank) FILTER (WHERE NOT success),"
                + " (array_agg(version ORDER BY installed_rank DESC) FILTER (WHERE success AND version IS NOT NULL))[1]"
                + " FROM " + database.schema().quoted() + ".\"" + FlywaySetup.HISTORY_TABLE + "\"");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            long failed = rs.getLong(1);
            response.withData("version", rs.getString(3) == null ? "none" : rs.getString(3)).withData("failed", failed);
            return failed == 0 ? response.up().build() : response.down().withData("failedScripts", rs.getString(2)).build();
        } catch (SQLException e) {
            if (UNDEFINED_TABLE.equals(e.getSQLState())) {
                return response.up().withData("history", "none").build();
            }
            throw e;
        }
    }
}
