package io.sluice.health.checks;

import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.sluice.catalog.StateMigrations;
import io.sluice.health.CheckedDatabase;
import io.sluice.health.DatabaseCheck;

/**
 * {@code sluice-state}: Sluice's state schema (snapshots, rollback audit, backfill progress) is at the newest version
 * this artifact ships. DOWN when it is older (an older Sluice wrote it: the next migrate brings it up) or absent (no
 * migrate has run against the database). Data: the state schema, its version and the newest.
 */
@Readiness
@ApplicationScoped
public class StateSchemaCurrent extends DatabaseCheck {

    @Override
    public String name() {
        return "sluice-state";
    }

    @Override
    protected HealthCheckResponse check(CheckedDatabase database, HealthCheckResponseBuilder response) throws SQLException {
        StateMigrations.Version version = StateMigrations.version(database.connection(), database.stateSchema());
        response.withData("stateSchema", database.stateSchema().value()).withData("version", version.current() == null ? "none"
                : version.current()).withData("latest", version.latest());
        if (version.current() == null) {
            return response.down().withData("reason", "no state history: no migrate has run against this database").build();
        }
        return version.atLatest() ? response.up().build()
                : response.down().withData("reason", "older than this Sluice's: the next migrate brings it to " + version.latest()).build();
    }
}
