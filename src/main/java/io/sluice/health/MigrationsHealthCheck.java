package io.sluice.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.sluice.error.SluiceException;
import io.sluice.event.MigrationSource;
import io.sluice.migration.Script;
import io.sluice.migration.ScriptLoader;
import io.sluice.migration.ScriptSet;

/** Ready when the migrations shipped inside the function load and have no clashing versions. */
@Readiness
@ApplicationScoped
public class MigrationsHealthCheck implements HealthCheck {

    private final ScriptLoader loader;

    @Inject
    public MigrationsHealthCheck(ScriptLoader loader) {
        this.loader = loader;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            ScriptSet scripts = loader.load(MigrationSource.DEFAULT);
            return HealthCheckResponse.named("bundled-migrations").up()
                    .withData("location", MigrationSource.DEFAULT.location())
                    .withData("versioned", scripts.ofKind(Script.Kind.VERSIONED).size())
                    .withData("latest", String.valueOf(scripts.latestVersion()))
                    .build();
        } catch (SluiceException e) {
            return HealthCheckResponse.named("bundled-migrations").down().withData("error", e.getMessage()).build();
        }
    }
}
