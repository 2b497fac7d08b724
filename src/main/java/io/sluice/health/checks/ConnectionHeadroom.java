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

/**
 * {@code connection-usage}: client connections in use against what {@code max_connections} leaves to ordinary roles
 * (less {@code superuser_reserved_connections}); DOWN above the limit. Data: {@code value} (the share), {@code limit},
 * {@code used}, {@code available}.
 */
@Readiness
@ApplicationScoped
public class ConnectionHeadroom extends DatabaseCheck {

    @Override
    public String name() {
        return "connection-usage";
    }

    @Override
    protected HealthCheckResponse check(CheckedDatabase database, HealthCheckResponseBuilder response) throws SQLException {
        try (PreparedStatement statement = database.connection().prepareStatement("SELECT count(*) FILTER (WHERE backend_type ="
                + " 'client backend'), current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int"
                + " FROM pg_stat_activity");
                ResultSet rs = statement.executeQuery()) {
            rs.next();
            long used = rs.getLong(1);
            long available = Math.max(1, rs.getLong(2));
            double share = (double) used / available;
            // MicroProfile Health's data holds strings, integers and booleans: the ratios as decimal text.
            response.withData("value", decimal(share)).withData("unit", "ratio").withData("limit", decimal(database.maxConnectionShare()))
                    .withData("used", used).withData("available", available);
            return share > database.maxConnectionShare() ? response.down().build() : response.up().build();
        }
    }

    private static String decimal(double value) {
        return java.math.BigDecimal.valueOf(value).setScale(4, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
    }
}
