package io.sluice.health.checks;

import java.sql.SQLException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.sluice.health.CheckedDatabase;
import io.sluice.health.DatabaseCheck;
import io.sluice.migration.InvalidIndex;

/**
 * {@code invalid-indexes}: no INVALID index in the managed schema (what an interrupted concurrent build leaves; the
 * planner ignores it and writes still maintain it). Data: the count and, DOWN, which and the statements that remove
 * them.
 */
@Readiness
@ApplicationScoped
public class NoInvalidIndex extends DatabaseCheck {

    @Override
    public String name() {
        return "invalid-indexes";
    }

    @Override
    protected HealthCheckResponse check(CheckedDatabase database, HealthCheckResponseBuilder response) throws SQLException {
        List<InvalidIndex> invalid = InvalidIndex.in(database.connection(), database.schema().value());
        response.withData("schema", database.schema().value()).withData("count", invalid.size());
        return invalid.isEmpty() ? response.up().build() : response.down().withData("indexes", InvalidIndex.describe(invalid)).build();
    }
}
