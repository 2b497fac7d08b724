package io.sluice.health.checks;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.sluice.error.Echo;
import io.sluice.health.CheckedDatabase;
import io.sluice.health.DatabaseCheck;

/**
 * {@code database}: the function reaches the database and logs in. Data: the database, the server's version and
 * whether it is a standby; DOWN, the error type and its bounded message.
 */
@Liveness
@ApplicationScoped
public class DatabaseReachable extends DatabaseCheck {

    @Override
    public String name() {
        return "database";
    }

    @Override
    protected HealthCheckResponse check(CheckedDatabase database, HealthCheckResponseBuilder response) throws SQLException {
        try (PreparedStatement statement = database.connection().prepareStatement("SELECT current_setting('server_version'),"
                + " pg_is_in_recovery()");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            return response.up().withData("database", database.database()).withData("serverVersion", rs.getString(1))
                    .withData("standby", rs.getBoolean(2)).build();
        }
    }

    @Override
    protected HealthCheckResponse unreachable(CheckedDatabase database, HealthCheckResponseBuilder response) {
        return response.down().withData("database", database.database())
                .withData("errorType", database.unreachable().getClass().getSimpleName())
                .withData("errorMessage", Echo.message(database.unreachable().getMessage())).build();
    }
}
